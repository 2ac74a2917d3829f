"""The trap benchmark's generator tells the truth (issue 14 point 7), and saphan falls into none of its traps.

The written files are read back here without saphan (csv, python_calamine), so a truth row that points at the
wrong line, a trap that lost its shape or an ID labelled valid that is not would fail.
"""

import csv
import hashlib
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.trap_files import write_trap_set
from benchmarks.trap_generator import (
    AS_OF_BE,
    KINDS,
    TRAPS,
    TrapSet,
    check_digit,
    cid_valid,
    generate,
    one_digit_typo,
    sound_alike,
)

HOUSEHOLDS, SEED = 300, 3
MIN_PER_KIND = 8


@pytest.fixture(scope="module")
def trap_set() -> TrapSet:
    return generate(HOUSEHOLDS, SEED)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory, trap_set: TrapSet) -> Path:
    folder = tmp_path_factory.mktemp("traps")
    write_trap_set(trap_set, folder, SEED)
    return folder


def _read(path: Path) -> list[list[str]]:
    """Every line of a written file as text cells (XLSX through calamine, CSV in its own encoding)."""
    if path.suffix == ".xlsx":
        from python_calamine import CalamineWorkbook

        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        return [[str(c) for c in line] for line in sheet.to_python()]
    encoding = "cp874" if "cp874" in path.name else "utf-8-sig"
    with path.open(encoding=encoding, newline="") as f:
        return list(csv.reader(f))


def _table(path: Path) -> list[dict[str, str]]:
    """The data rows under the header line (the first line whose first cell names a column)."""
    lines = _read(path)
    at = next(i for i, line in enumerate(lines) if line[0] in ("ลำดับ", "No.", "รหัสบ้าน"))
    return [dict(zip(lines[at], line, strict=True)) for line in lines[at + 1:]]


def _truth(folder: Path) -> list[dict[str, str]]:
    with (folder / "truth.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


# Real-form IDs (from tests/corpus extracts) and one-digit typos of them.
IDS = [
    ("3310516449917", True), ("1310578965653", True), ("3312189310506", True),
    ("3310516449927", False), ("1310578965663", False), ("331218931050", False), ("33121893105060", False),
]


@pytest.mark.parametrize(("cid", "valid"), IDS)
def test_cid_valid_on_real_form_ids(cid: str, valid: bool) -> None:
    assert cid_valid(cid) is valid


def test_some_one_digit_typos_keep_the_check_digit() -> None:
    """Why one_digit_typo draws again: the third digit weighs 11, so a typo there leaves the ID valid."""
    assert cid_valid("3310516449917") and cid_valid("3320516449917")


@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.integers(0, 2**32))
def test_the_id_typo_is_one_digit_and_breaks_the_check_digit(body: str, seed: int) -> None:
    cid = body + check_digit(body)
    typo = one_digit_typo(cid, random.Random(seed))
    assert cid_valid(cid) and not cid_valid(typo)
    assert sum(a != b for a, b in zip(cid, typo, strict=True)) == 1


SOUND_ALIKE = [
    ("ศรีสวัสดิ์", {"สรีสวัสดิ์", "ศรีศวัสดิ์", "ศรีสวัศดิ์"}),  # no tone mark: always a letter
    ("สุวรรณมณี", {"ศุวรรณมณี", "สุวรรนมณี", "สุวรรณมนี"}),
    ("แก้วมณี", {"แก้วมนี", "แกวมณี"}),
    ("บุญมา", {"บุญมา"}),  # nothing that sounds alike, no tone mark: as written
]


@pytest.mark.parametrize(("name", "allowed"), SOUND_ALIKE)
def test_sound_alike_changes_one_letter_or_drops_the_tones(name: str, allowed: set[str]) -> None:
    got = {sound_alike(name, random.Random(seed)) for seed in range(40)}
    assert got == allowed


def test_same_seed_same_files(tmp_path: Path) -> None:
    def digest(folder: Path) -> dict[str, str]:
        write_trap_set(generate(120, 9), folder, 9)
        return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*")) if p.is_file()}
    first, second = digest(tmp_path / "a"), digest(tmp_path / "b")
    assert first == second and len(first) > 5


def test_every_kind_present_often_enough(trap_set: TrapSet) -> None:
    counts = Counter(r.kind for r in trap_set.roster)
    assert {k for k in KINDS if counts[k] < MIN_PER_KIND and k != "age_only"} == set()
    assert counts["age_only"] >= 3


def test_ids_are_valid_and_unique_per_person(trap_set: TrapSet) -> None:
    cids = [p.cid for p in trap_set.people]
    assert all(cid_valid(c) for c in cids)
    assert len(set(cids)) == len(cids)


def test_truth_points_at_the_right_lines(trap_set: TrapSet, written: Path) -> None:
    """Each truth row's roster line names the row's person; its poverty line carries the target's ID."""
    by_pid = {p.pid: p for p in trap_set.people}
    tables: dict[str, list[dict[str, str]]] = {}
    for sub in ("rosters", "poverty"):
        for f in (written / sub).iterdir():
            tables[f.name] = _table(f)
    truth = _truth(written)
    rows = {(r.person.pid, r.kind): r for r in trap_set.roster}
    assert len(truth) == len(trap_set.roster)
    for t in truth:
        line = tables[t["roster_file"]][int(t["roster_row"]) - 1]
        person = by_pid[t["person"]]
        cid = (line.get("เลขประจำตัวประชาชน") or line.get("Citizen ID") or "").replace("-", "")
        assert cid_valid(cid) is (t["roster_cid_valid"] == "True")
        row = rows[(t["person"], t["kind"])]
        if "english" in t["roster_file"]:
            assert t["kind"] == "romanised" and re.fullmatch(r"[A-Za-z. ]+", line["Name-Surname"])
            assert line["Name-Surname"].endswith(f" {row.first} {row.last}")
        else:
            assert (line["ชื่อ"], line["นามสกุล"]) == (row.first, row.last)
        if t["poverty_file"]:
            assert tables[t["poverty_file"]][int(t["poverty_row"]) - 1]["เลขประจำตัวประชาชน"] == person.cid
        if t["decoy_file"]:
            assert tables[t["decoy_file"]][int(t["decoy_row"]) - 1]["เลขประจำตัวประชาชน"] != person.cid


def _rows(ts: TrapSet, kind: str) -> list:
    return [r for r in ts.roster if r.kind == kind]


def test_twins_share_birth_year_surname_and_house(trap_set: TrapSet) -> None:
    for r in _rows(trap_set, "twin"):
        a, b = r.person, r.decoy
        assert b is not None and b.home is a.home and b.in_extract
        assert a.birth[0] == b.birth[0] and a.last == b.last and a.first != b.first
        assert cid_valid(a.cid) and cid_valid(b.cid) and a.cid != b.cid
        assert r.target is (None if not a.in_extract else a)


def test_fathers_and_sons_share_one_name(trap_set: TrapSet) -> None:
    for r in _rows(trap_set, "father_son"):
        a, b = r.person, r.decoy
        assert b is not None and b.home is a.home
        assert (a.first, a.last) == (b.first, b.last) and 20 <= abs(a.birth[0] - b.birth[0]) <= 35
        assert a.cid != b.cid


def test_siblings_are_one_letter_and_years_apart(trap_set: TrapSet) -> None:
    for r in _rows(trap_set, "sibling"):
        a, b = r.person, r.decoy
        assert b is not None and a.last == b.last and a.home is b.home
        short, long_ = sorted((a.first, b.first), key=len)
        assert len(long_) == len(short) + 1 and any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))
        assert 3 <= abs(a.birth[0] - b.birth[0]) <= 8


def test_namesakes_have_other_valid_ids_and_the_poor_one_is_on_a_roster(trap_set: TrapSet) -> None:
    linked = {r.person.pid: r for r in _rows(trap_set, "namesake_linked")}
    for r in _rows(trap_set, "namesake"):
        a, b = r.person, r.decoy
        assert b is not None and (a.first, a.last) == (b.first, b.last)
        assert r.cid == a.cid and cid_valid(a.cid) and cid_valid(b.cid) and a.cid != b.cid
        assert r.target is None and not a.home.surveyed
        assert linked[b.pid].cid == b.cid and linked[b.pid].target is b


def test_age_namesakes_have_only_an_age_and_decades_between(trap_set: TrapSet, written: Path) -> None:
    for r in _rows(trap_set, "age_namesake"):
        assert r.decoy is not None and r.cid == "" and r.target is None
        assert trap_set.styles[r.fund.code] == "age"
        assert 20 <= r.person.birth[0] - r.decoy.birth[0] <= 45
    age_file = next((written / "rosters").glob("*_age.xlsx"))
    header = _table(age_file)[0].keys()
    assert "อายุ" in header and "วันเดือนปีเกิด" not in header


def test_wives_carry_the_husbands_surname_and_the_extract_the_maiden_name(trap_set: TrapSet) -> None:
    for kind in ("maiden_name", "married_no_id"):
        for r in _rows(trap_set, kind):
            wife, husband = r.person, r.decoy
            assert husband is not None and r.last == husband.last and wife.extract_last not in (None, r.last)
            assert r.title == "นาง" and r.cid == "" and r.target is wife
            assert wife.home.no_title is (kind == "maiden_name")


def test_movers_write_another_area_and_no_id(trap_set: TrapSet) -> None:
    for kind in ("mover_subdistrict", "mover_subdistrict_no_birth", "mover_province", "mover_province_no_birth"):
        for r in _rows(trap_set, kind):
            old, new = r.person.home.area, r.home.area
            assert old.code != new.code and r.cid == ""
            assert (old.province_code != new.province_code) is kind.startswith("mover_province")
            assert (r.birth is None) is kind.endswith("no_birth")


def test_duplicates_typos_sound_alikes(trap_set: TrapSet) -> None:
    rows_of = Counter(r.person.pid for r in trap_set.roster)
    assert all(rows_of[r.person.pid] == 2 for r in _rows(trap_set, "duplicate"))
    for r in _rows(trap_set, "id_typo"):
        assert not cid_valid(r.cid) and sum(a != b for a, b in zip(r.cid, r.person.cid, strict=True)) == 1
    for r in _rows(trap_set, "sound_alike"):
        assert (r.first, r.last) != (r.person.first, r.person.last) and r.cid == ""


def test_extract_without_titles_has_no_sex_column(written: Path) -> None:
    files = list((written / "poverty").glob("*สำรวจเพิ่มเติม*"))
    assert files
    for f in files:
        assert {"คำนำหน้า", "เพศ"}.isdisjoint(_table(f)[0])


def test_ages_are_as_of_the_title_year(trap_set: TrapSet, written: Path) -> None:
    age_file = next((written / "rosters").glob("*_age.xlsx"))
    assert "2567" in _read(age_file)[1][0] and AS_OF_BE == 2567


@pytest.fixture(scope="module")
def saphan_scored(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """End to end on a few hundred households: ingest, standardise, link (no Prefect); scored per kind."""
    from benchmarks.bench_traps import prepare, run_saphan, score

    folder = tmp_path_factory.mktemp("e2e") / "traps"
    warehouse = prepare(folder, HOUSEHOLDS, SEED)
    run_saphan(warehouse)
    return score(warehouse, folder / "truth.csv")


@pytest.mark.slow
def test_saphan_makes_no_false_link_on_the_traps(saphan_scored: dict) -> None:
    assert all(v["accepted"] == v["rows"] for v in saphan_scored["kinds"].values())
    assert saphan_scored["trap_false_links"] == dict.fromkeys(TRAPS, 0)


@pytest.mark.slow
def test_saphan_never_guesses_a_mover_without_birth_date(saphan_scored: dict) -> None:
    """Issue 14 point 4: with no birth date a mover goes to review, not a guess; and no other false link."""
    kinds = saphan_scored["kinds"]
    assert kinds["mover_subdistrict_no_birth"]["fp"] == kinds["mover_province_no_birth"]["fp"] == 0
    assert saphan_scored["overall"]["precision"] == 1.0
