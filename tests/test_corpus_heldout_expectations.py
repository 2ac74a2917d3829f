"""The held-out corpus (tests/corpus_heldout) says what its files hold: every expectation is checked here
against the files themselves, read without saphan (csv, python_calamine, pyarrow).

What holds for every file: it exists; its sheets exist; every column of the used width has a role from the
vocabulary; every physical line is a header, a person or a listed non-person line, exactly once; every person
line holds the expected names, the expected ID digits (check digit recomputed here), birth year and age;
non-person lines of kind "blank" are blank. Across files: linkage truth has members, outsiders and namesakes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sys
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from python_calamine import CalamineWorkbook

ROOT = Path(__file__).parent / "corpus_heldout"
FILES = ROOT / "files"
EXPECTED = json.loads((ROOT / "expected.json").read_text(encoding="utf-8"))["files"]
ROLES = {"citizen_id", "title", "first_name", "last_name", "full_name", "sex", "birth_date", "birth_year", "age",
         "house_no", "village_no", "village_name", "soi", "road", "subdistrict", "district", "province",
         "postal_code", "full_address", "phone", "house_code", "subdistrict_code", "dim_health", "dim_living",
         "dim_education", "dim_income", "dim_access", "welfare_card", "survey_year", "fund_name", "member_no",
         "member_since", "row_number", "ignored"}
KINDS = {"title", "blank", "repeated_header", "subheader", "total", "signature", "note"}
THAI = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
UNREADABLE = {"", "ไม่ทราบ", "-", "ไม่ระบุ", "00/00/0000", "??"}
YES = {"1", "Y", "✓", "มี"}
NO = {"0", "N", "", "ไม่มี"}
TITLES = {"นาย", "นาง", "นางสาว", "Mr.", "Mrs.", "Miss"}


def _cid_ok(d: str) -> bool:
    """Thai check digit, written out again here so the writer's own function is not trusted."""
    s = sum(int(d[i]) * (13 - i) for i in range(12))
    return (11 - s % 11) % 10 == int(d[12])


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _sheets(rel: str) -> dict[str, list[list[object]]]:
    """Every sheet of a file as its physical lines (1-based line n is index n-1), cells as read."""
    path = FILES / rel
    if path.suffix in (".csv", ".tsv"):
        raw = path.read_bytes()
        for enc in ("utf-8-sig", "cp874"):
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        rows = list(csv.reader(io.StringIO(text), delimiter="\t" if path.suffix == ".tsv" else ","))
        assert len(rows) == text.count("\n"), "a cell spans lines"
        return {"": rows}
    if path.suffix == ".parquet":
        t = pq.read_table(path)
        return {"": [list(r.values()) for r in t.to_pylist()]}
    wb = CalamineWorkbook.from_path(str(path))
    return {n: wb.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in wb.sheet_names}


def _blank(row: list[object]) -> bool:
    return all(_cell(v).strip() == "" for v in row)


CASES = sorted(EXPECTED)


def test_corpus_size_and_styles() -> None:
    datasets = Counter(f["dataset"] for f in EXPECTED.values())
    assert datasets["roster"] >= 20 and datasets["poverty"] >= 5
    for f in EXPECTED.values():
        assert 5 <= len(f["accepted"]) <= 40
    suffixes = {Path(k).suffix for k in EXPECTED}
    assert suffixes >= {".csv", ".tsv", ".xlsx", ".xls", ".ods", ".parquet"}
    assert len({f["style"] for f in EXPECTED.values()}) == len(EXPECTED)


@pytest.mark.parametrize("rel", CASES)
def test_lines_and_roles(rel: str) -> None:
    exp = EXPECTED[rel]
    sheets = _sheets(rel)
    assert [s["sheet"] for s in exp["sheets"]] == list(sheets)
    for s in exp["sheets"]:
        lines = sheets[s["sheet"]]
        width = max((i + 1 for r in lines for i, v in enumerate(r) if _cell(v).strip()), default=0)
        if rel.endswith(".parquet"):
            width = len(lines[0])
        assert list(s["columns"]) == [str(i) for i in range(1, len(s["columns"]) + 1)]
        assert len(s["columns"]) >= width and set(s["columns"].values()) <= ROLES
        used = [e["line"] for e in exp["accepted"] + exp["not_people"] if e["sheet"] == s["sheet"]]
        used += s["header_lines"]
        last = max(i + 1 for i, r in enumerate(lines) if not _blank(r))
        assert sorted(used) == list(range(1, len(used) + 1)) and len(used) >= last
        for n in s["header_lines"]:
            assert not _blank(lines[n - 1])
        first_header = min(s["header_lines"], default=0)
        for e in exp["not_people"]:
            if e["sheet"] == s["sheet"]:
                assert e["kind"] in KINDS
                row = lines[e["line"] - 1] if e["line"] <= len(lines) else []
                assert _blank(row) == (e["kind"] == "blank"), e
                assert (e["line"] < first_header) <= (e["kind"] in ("title", "blank")), e
    if exp["dataset"] == "roster":
        assert exp["fund"] and exp["fund_from"] in {"title", "column", "sheet", "folder", "stem"}
    else:
        assert exp["fund"] is None and exp["fund_from"] is None


def _role_cells(exp: dict, sheets: dict, entry: dict) -> dict[str, object]:
    s = next(s for s in exp["sheets"] if s["sheet"] == entry["sheet"])
    row = list(sheets[entry["sheet"]][entry["line"] - 1])
    row += [""] * (len(s["columns"]) - len(row))
    return {role: row[int(i) - 1] for i, role in s["columns"].items()}


@pytest.mark.parametrize("rel", CASES)
def test_person_lines_hold_what_is_expected(rel: str) -> None:
    exp = EXPECTED[rel]
    sheets = _sheets(rel)
    for e in exp["accepted"]:
        cells = _role_cells(exp, sheets, e)
        text = " ".join(_cell(v) for v in sheets[e["sheet"]][e["line"] - 1])
        assert re.fullmatch(r"H\d{4}", e["person"])
        assert e["first_name"] and e["last_name"] and e["first_name"] in text and e["last_name"] in text, e
        for role, want in (("first_name", [e["first_name"]]), ("last_name", [e["last_name"]]),
                           ("full_name", [e["first_name"], e["last_name"]])):
            if role in cells:
                assert all(w in _cell(cells[role]) for w in want), (role, e)
        if "title" in cells:
            assert _cell(cells["title"]).split(" ")[0] in TITLES, e
        if "row_number" in cells:
            assert _cell(cells["row_number"]).translate(THAI).isdigit(), e
        raw_id = _cell(cells.get("citizen_id")).translate(THAI)
        if e["citizen_id"] is None:
            assert e["id_valid"] is None
            assert raw_id == "" or "E+" in raw_id, e  # absent, or Excel's scientific notation
        else:
            assert re.sub(r"[\s\-']", "", raw_id) == e["citizen_id"], e
            assert e["id_valid"] == _cid_ok(e["citizen_id"])
        date = cells.get("birth_date", cells.get("birth_year", ""))
        be = e["birth_year_be"]
        if be is None:
            assert _cell(date).strip() in UNREADABLE, e
        elif isinstance(date, dt.date):
            assert date.year + 543 == be
        else:
            d = _cell(date).translate(THAI)
            assert str(be) in d or str(be - 543) in d or re.search(rf"\b{be % 100:02d}$", d), e
        if "age" in cells:
            assert e["age"] == int(re.sub(r"\D", "", _cell(cells["age"])))
        else:
            assert e["age"] is None
        if exp["dataset"] == "poverty":
            assert set(e["dims"]) == {"health", "living", "education", "income", "access"}
            for dim, flag in e["dims"].items():
                assert _cell(cells[f"dim_{dim}"]) in (YES if flag else NO)
            assert _cell(cells["welfare_card"]) in (YES if e["welfare_card"] else NO)


@pytest.mark.parametrize("rel", [r for r in CASES if EXPECTED[r]["dataset"] == "roster"])
def test_fund_is_where_it_is_said_to_be(rel: str) -> None:
    exp = EXPECTED[rel]
    fund, where = exp["fund"], exp["fund_from"]
    sheets = _sheets(rel)
    if where == "title":
        titles = [_cell(sheets[t["sheet"]][t["line"] - 1][0]) for t in exp["not_people"] if t["kind"] == "title"]
        assert any(fund in t for t in titles)
    elif where == "column":
        e = exp["accepted"][0]
        assert _role_cells(exp, sheets, e)["fund_name"] == fund
    elif where == "sheet":
        assert fund in sheets
    elif where == "folder":
        assert Path(rel).parent.name == fund
    else:
        assert Path(rel).stem == fund


@pytest.mark.parametrize("rel", CASES)
def test_date_order_is_decidable_from_the_values(rel: str) -> None:
    """A text date column says dmy or mdy only when one of its values has a part over 12 that decides it."""
    exp = EXPECTED[rel]
    sheets = _sheets(rel)
    for s in exp["sheets"]:
        if s["date_order"] is None:
            continue
        col = next(int(i) for i, r in s["columns"].items() if r == "birth_date")
        values = [_cell(sheets[s["sheet"]][e["line"] - 1][col - 1]).translate(THAI)
                  for e in exp["accepted"] if e["sheet"] == s["sheet"]]
        parts = [re.split(r"[/\- ]", v) for v in values if re.match(r"\d+[/\-]\d+[/\-]\d+$", v)]
        pos = 0 if s["date_order"] == "dmy" else 1
        if parts:
            assert any(int(p[pos]) > 12 for p in parts), s["sheet"]


def test_linkage_truth_has_members_outsiders_and_namesakes() -> None:
    rosters = [e for f in EXPECTED.values() if f["dataset"] == "roster" for e in f["accepted"]]
    extracts = {k: f["accepted"] for k, f in EXPECTED.items() if f["dataset"] == "poverty"}
    roster_ids = Counter(e["person"] for e in rosters)
    assert max(roster_ids.values()) == 1  # one roster line per person
    extract_people = {e["person"] for rows in extracts.values() for e in rows}
    covered = {e["person"] for e in rosters} & extract_people
    by_name = {(e["first_name"], e["last_name"]): e["person"] for e in rosters}
    for rel, rows in extracts.items():
        people = [e["person"] for e in rows]
        assert len(people) == len(set(people)), rel
        members = [p for p in people if p in roster_ids]
        outsiders = [p for p in people if p not in roster_ids]
        assert members and outsiders, rel
        namesakes = [e for e in rows if by_name.get((e["first_name"], e["last_name"]), e["person"]) != e["person"]]
        assert namesakes, rel
    roster_by_person = {e["person"]: e for e in rosters}
    pairs = [(roster_by_person[e["person"]], e) for rows in extracts.values() for e in rows
             if e["person"] in roster_by_person]
    assert len(pairs) == len(covered)
    assert any(x["citizen_id"] is None for _, x in pairs)  # the extract lacks the ID
    assert any(r["last_name"] != x["last_name"] for r, x in pairs)  # married or sound-alike surname
    thai = re.compile(r"[\u0e00-\u0e7f]")
    assert any(r["first_name"] != x["first_name"] and thai.match(r["first_name"]) for r, x in pairs)  # by sound
    assert any(not thai.match(r["first_name"]) and thai.match(x["first_name"]) for r, x in pairs)  # romanised


def test_places_are_real() -> None:
    geothai = pytest.importorskip("geothai")
    sys.path.insert(0, str(ROOT))
    from _people import AREAS

    for sub, dist, prov, code, post in AREAS.values():
        found = geothai.match(sub, district=dist, province=prov)
        assert [(a.subdistrict.code, a.subdistrict.postal_codes) for a in found] == [(code, (post,))]


def test_writer_is_deterministic(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT))
    import write_corpus

    again = write_corpus.write(tmp_path / "files")
    assert json.loads(json.dumps(again, ensure_ascii=False, default=str)) == {"files": EXPECTED}
    for rel in CASES:
        if rel.endswith((".csv", ".tsv")):
            assert (tmp_path / "files" / rel).read_bytes() == (FILES / rel).read_bytes(), rel
