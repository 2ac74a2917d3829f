"""`saphan sample`: deterministic, realistic files whose truth lines up with their data rows."""

import csv
import io
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from python_calamine import CalamineWorkbook

from flows.sample import write_sample
from transforms.synth import citizen_check_digit, make_population, make_poverty, make_rosters

ROOT = Path(__file__).resolve().parents[1]
HOUSEHOLDS = 60
ID_HEADERS = {"citizen_id", "เลขประจำตัวประชาชน", "เลขบัตรประชาชน", "เลขประจำตัวประชาชน 13 หลัก"}


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, tuple[Path, dict]]:
    """The sample written three times: seed 1 twice (in different folders) and seed 2."""
    out = {}
    for key, seed in (("a", 1), ("b", 1), ("c", 2)):
        folder = tmp_path_factory.mktemp(f"sample_{key}")
        out[key] = (folder, write_sample(folder, households=HOUSEHOLDS, seed=seed))
    return out


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _grid(path: Path) -> list[list[str]]:
    """Every line of a roster or poverty file as text cells (title and header lines included)."""
    if path.suffix == ".xlsx":
        wb = CalamineWorkbook.from_path(str(path))
        rows = wb.get_sheet_by_name(wb.sheet_names[0]).to_python(skip_empty_area=False)
        return [["" if v is None else str(v) for v in r] for r in rows]
    if path.suffix == ".parquet":
        table = pq.read_table(path)
        return [table.column_names] + [[v or "" for v in r.values()] for r in table.to_pylist()]
    data = path.read_bytes()
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        text = data.decode("cp874")
    return list(csv.reader(io.StringIO(text, newline="")))


def _header_at(grid: list[list[str]], known: set[str]) -> int:
    return next(i for i, row in enumerate(grid) if sum(c in known for c in row) >= 3)


@pytest.fixture(scope="module")
def synonyms() -> set[str]:
    with (ROOT / "schemas" / "header_synonyms.csv").open(encoding="utf-8") as f:
        return {r["synonym"] for r in csv.DictReader(f)}


def test_same_seed_same_bytes_other_seed_other_bytes(samples):
    a, b, c = (_files(samples[k][0]) for k in "abc")
    assert a.keys() == b.keys() and len(a) >= 9
    for name in a:
        assert a[name] == b[name], name
    assert a["truth.csv"] != c["truth.csv"]
    assert any(a[n] != c.get(n) for n in a if n.startswith("poverty"))


def test_population_ids_pass_the_check_digit_and_households_share_an_address():
    people = make_population(500, seed=3)
    ids = people["citizen_id"].to_pylist()
    assert len(set(ids)) == len(ids)
    for cid in ids:  # a plain-Python check, independent of the vectorised one
        total = sum(int(cid[i]) * (13 - i) for i in range(12))
        assert len(cid) == 13 and int(cid[12]) == (11 - total % 11) % 10
    digits = np.array([[int(ch) for ch in cid[:12]] for cid in ids[:50]])
    assert [str(d) for d in citizen_check_digit(digits)] == [cid[12] for cid in ids[:50]]
    households = defaultdict(set)
    for r in people.select(["house_code", "house_no", "village_no", "subdistrict_code"]).to_pylist():
        households[r["house_code"]].add((r["house_no"], r["village_no"], r["subdistrict_code"]))
    assert all(len(v) == 1 for v in households.values())
    sizes = Counter(people["house_code"].to_pylist()).values()
    assert min(sizes) >= 1 and max(sizes) <= 6 and len(households) == 500
    wives = people.filter(pc.is_valid(people["maiden_name"]))
    assert wives.num_rows > 20
    assert set(wives["title"].to_pylist()) <= {"นาง", "ดร.", "ผศ.", "รศ.", "ว่าที่ร้อยตรีหญิง"}


def test_generation_does_not_depend_on_set_order():
    people = make_population(80, seed=5)
    again = make_population(80, seed=5)
    assert people.equals(again)
    assert make_poverty(people, 5).equals(make_poverty(again, 5))
    assert [t.equals(u) for (_, _, t), (_, _, u) in zip(make_rosters(people, 5), make_rosters(again, 5),
                                                         strict=True)]


def test_truth_rows_match_every_file(samples, synonyms):
    folder, summary = samples["a"]
    truth = list(csv.DictReader((folder / "truth.csv").open(encoding="utf-8")))
    by_file = defaultdict(list)
    for t in truth:
        by_file[t["roster_file"]].append(int(t["roster_row"]))
    for r in summary["rosters"]:
        grid = _grid(folder / "rosters" / r["file"])
        data = grid[_header_at(grid, synonyms) + 1:]
        assert by_file[r["file"]] == list(range(1, len(data) + 1)) and len(data) == r["rows"], r["file"]
    for p in summary["poverty"]:
        grid = _grid(folder / "poverty" / p["file"])
        assert len(grid) - 1 == p["rows"]
        rows = [int(t["poverty_row"]) for t in truth if t["poverty_file"] == p["file"]]
        assert all(1 <= x <= p["rows"] for x in rows)
    assert {t["expected"] for t in truth} == {"accept", "blank_row", "no_name", "accept_unreadable_date"}


def test_truth_points_at_the_right_rows(samples, synonyms):
    """Where both sides carry a clean ID, the truth pairs rows with the same ID (bar planted typos)."""
    folder, summary = samples["a"]
    pov = {}
    for p in summary["poverty"]:
        grid = _grid(folder / "poverty" / p["file"])
        col = next(i for i, h in enumerate(grid[0]) if h in ("citizen_id", "เลขประจำตัวประชาชน"))
        pov[p["file"]] = [row[col] for row in grid[1:]]
    same = differ = 0
    truth = list(csv.DictReader((folder / "truth.csv").open(encoding="utf-8")))
    for r in summary["rosters"]:
        grid = _grid(folder / "rosters" / r["file"])
        at = _header_at(grid, synonyms)
        col = next(i for i, h in enumerate(grid[at]) if h in ID_HEADERS)
        for t in (t for t in truth if t["roster_file"] == r["file"]):
            row = grid[at + int(t["roster_row"])]
            if t["expected"] == "blank_row":
                assert not any(c.strip() for c in row)
            if t["expected"] == "accept_unreadable_date":
                assert any(c.startswith(("30/02/", "31/02/")) for c in row)
            cid = row[col].removesuffix(".0") if col < len(row) else ""
            linked = pov[t["poverty_file"]][int(t["poverty_row"]) - 1] if t["poverty_file"] else ""
            if linked and len(cid) == 13 and cid.isascii() and cid.isdigit():
                same, differ = same + (cid == linked), differ + (cid != linked)
    assert same >= 20 and differ <= max(3, same // 10)  # planted: ~2.5% roster, ~0.5% extract typos


def test_required_formats_exist(samples, synonyms):
    folder, summary = samples["a"]
    formats = {r["format"]: folder / "rosters" / r["file"] for r in summary["rosters"]}
    assert set(formats) == {"utf8bom", "cp874", "xlsx", "fullname", "english"}
    assert formats["utf8bom"].read_bytes().startswith(b"\xef\xbb\xbf")
    with pytest.raises(UnicodeDecodeError):
        formats["cp874"].read_bytes().decode("utf-8")
    assert "ชื่อ" in formats["cp874"].read_bytes().decode("cp874")
    grid = _grid(formats["xlsx"])
    at = _header_at(grid, synonyms)
    assert at >= 1 and grid[0][0].startswith("ทะเบียนสมาชิกกองทุนสวัสดิการชุมชนตำบล")
    assert {"ชื่อ-สกุล", "ที่อยู่"} <= set(_grid(formats["fullname"])[0])
    assert {"first_name", "citizen_id"} <= set(_grid(formats["english"])[0])
    assert len(summary["poverty"]) == 2 and all(p["rows"] > 0 for p in summary["poverty"])


def test_every_header_is_a_known_synonym(samples, synonyms):
    folder, _ = samples["a"]
    for path in sorted((folder / "rosters").iterdir()) + sorted((folder / "poverty").iterdir()):
        grid = _grid(path)
        header = [h for h in grid[_header_at(grid, synonyms)] if h]
        assert set(header) <= synonyms, (path.name, set(header) - synonyms)


def test_poverty_people_are_never_in_both_files(samples):
    people = make_population(HOUSEHOLDS, seed=1)
    extract = make_poverty(people, seed=1)
    ids = extract["person_id"].to_pylist()
    assert len(ids) == len(set(ids)) and 0.75 * people.num_rows < len(ids) < people.num_rows
    assert set(pc.unique(extract["file_part"]).to_pylist()) == {0, 1}
