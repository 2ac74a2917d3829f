"""The real-form corpus (tests/corpus/) agrees with its own expectations.

This checks the corpus, not saphan: every listed file exists and is listed, every expected line is really
there and says what expected.json claims (names, the ID digits, the birth year, the age), every line of each
sheet is accounted for exactly once, IDs marked valid pass the Thai check digit, and the linkage truth holds
together (one person, one ID). It reads the files with python-calamine, pyarrow and csv only.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).parent / "corpus"
FILES = CORPUS / "files"
EXPECTED: dict[str, Any] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))["files"]
ROLES = {"citizen_id", "title", "first_name", "last_name", "full_name", "sex", "birth_date", "birth_year", "age",
         "house_no", "village_no", "village_name", "soi", "road", "subdistrict", "district", "province",
         "postal_code", "full_address", "phone", "house_code", "subdistrict_code", "dim_health", "dim_living",
         "dim_education", "dim_income", "dim_access", "welfare_card", "survey_year", "fund_name", "member_no",
         "member_since", "row_number", "ignored"}
KINDS = {"title", "blank", "repeated_header", "subheader", "total", "signature", "note"}
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def id_is_valid(cid: str) -> bool:
    total = sum(int(d) * (13 - i) for i, d in enumerate(cid[:12]))
    return len(cid) == 13 and cid.isdigit() and (11 - total % 11) % 10 == int(cid[12])


def read_sheets(path: Path) -> dict[str, list[list[Any]]]:
    """Sheet name ("" for text and Parquet files) -> rows of cells, row i being physical line i + 1."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp874")
        lines = text.splitlines()
        return {"": list(csv.reader(lines, delimiter="\t" if suffix == ".tsv" else ","))}
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        return {"": [list(r.values()) for r in table.to_pylist()]}
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    return {n: wb.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in wb.sheet_names}


def cell_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def trimmed(row: list[Any]) -> list[str]:
    cells = [cell_text(c) for c in row]
    while cells and cells[-1] == "":
        cells.pop()
    return cells


def years_be(row: list[Any]) -> set[int]:
    """Every birth year (BE) a reader could take from the row: text dates, date cells, serials, 2-digit years."""
    years = set()
    for cell in row:
        if isinstance(cell, (datetime, date)):
            years.add(cell.year + 543)
        elif isinstance(cell, (int, float)) and 10000 < cell < 60000:
            years.add(date.fromordinal(date(1899, 12, 30).toordinal() + int(cell)).year + 543)
        text = cell_text(cell).translate(THAI_DIGITS)
        for n in re.findall(r"(?<!\d)(\d{4})(?!\d)", text):
            years.add(int(n) if int(n) > 2400 else int(n) + 543)
        m = re.fullmatch(r"\d{1,2}/\d{1,2}/(\d{2})", text)
        if m:
            years |= {2400 + int(m.group(1)), 2500 + int(m.group(1))}
    return years


SHEETS = {name: read_sheets(FILES / name) for name in EXPECTED}


def test_corpus_size_and_listing() -> None:
    rosters = [n for n, f in EXPECTED.items() if f["dataset"] == "roster"]
    extracts = [n for n, f in EXPECTED.items() if f["dataset"] == "poverty"]
    assert len(rosters) >= 40 and len(extracts) >= 8
    on_disk = {p.relative_to(FILES).as_posix() for p in FILES.rglob("*") if p.is_file()}
    assert on_disk == set(EXPECTED)
    for name, f in EXPECTED.items():
        assert 5 <= len(f["accepted"]) <= 40, name
    formats = {Path(n).suffix for n in EXPECTED}
    assert {".csv", ".tsv", ".xlsx", ".xls", ".ods", ".parquet"} <= formats


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_line_accounted_for(name: str) -> None:
    """Header lines, accepted people and named non-people cover each sheet's lines exactly once."""
    f, sheets = EXPECTED[name], SHEETS[name]
    assert [s["sheet"] for s in f["sheets"]] == list(sheets)
    for s in f["sheets"]:
        rows = sheets[s["sheet"]]
        width = max(len(trimmed(r)) for r in rows)
        if name.endswith(".parquet"):
            width = len(rows[0])
        assert list(s["columns"]) == [str(i) for i in range(1, width + 1)], "every used column has a role"
        assert set(s["columns"].values()) <= ROLES
        last = max(i + 1 for i, r in enumerate(rows) if trimmed(r))
        lines = list(s["header_lines"])
        lines += [a["line"] for a in f["accepted"] if a["sheet"] == s["sheet"]]
        marks = [n for n in f["not_people"] if n["sheet"] == s["sheet"]]
        lines += [n["line"] for n in marks]
        assert sorted(lines) == list(range(1, last + 1)), "each line once, none left out"
        header = [trimmed(rows[i - 1]) for i in s["header_lines"]]
        for n in marks:
            assert n["kind"] in KINDS
            row = trimmed(rows[n["line"] - 1])
            assert (row == []) == (n["kind"] == "blank"), (n, row)
            if n["kind"] == "repeated_header":
                assert row in header


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_expected_people_are_written_there(name: str) -> None:
    f, sheets = EXPECTED[name], SHEETS[name]
    for a in f["accepted"]:
        row = sheets[a["sheet"]][a["line"] - 1]
        text = " ".join(cell_text(c) for c in row)
        assert re.fullmatch(r"P\d{4}", a["person"])
        assert a["first_name"] and a["first_name"] in text, (a["line"], a["first_name"])
        assert a["last_name"] and a["last_name"] in text, (a["line"], a["last_name"])
        cid = a["citizen_id"]
        if cid is None:
            assert a["id_valid"] is None
        else:
            digits = {re.sub(r"\D", "", cell_text(c).translate(THAI_DIGITS)) for c in row}
            assert cid in digits, (a["line"], "ID digits not in any cell")
            assert id_is_valid(cid) is a["id_valid"]
        if a["birth_year_be"] is not None:
            assert 2470 <= a["birth_year_be"] <= 2567
            assert a["birth_year_be"] in years_be(row), (a["line"], a["birth_year_be"])
        if a["age"] is not None:
            assert re.search(rf"(?<!\d){a['age']}(?!\d)", text)
        if f["dataset"] == "poverty":
            assert set(a["dims"]) == {"health", "living", "education", "income", "access"}
            assert set(a["dims"].values()) <= {0, 1} and isinstance(a["welfare_card"], bool)


@pytest.mark.parametrize("name", sorted(n for n, f in EXPECTED.items() if f["dataset"] == "roster"))
def test_fund_name_is_where_expected_says(name: str) -> None:
    f, path = EXPECTED[name], Path(name)
    fund, source = f["fund"], f["fund_from"]
    title_lines = [n for n in f["not_people"] if n["kind"] == "title"]
    if source == "title":
        texts = [" ".join(trimmed(SHEETS[name][n["sheet"]][n["line"] - 1])) for n in title_lines]
        assert any(t.startswith(fund) or fund in t for t in texts)
    elif source == "folder":
        assert path.parent.name == fund
    elif source == "stem":
        assert path.stem == fund
    elif source == "sheet":
        assert fund in SHEETS[name]
    else:
        assert source == "column"
        s = f["sheets"][0]
        col = int(next(k for k, r in s["columns"].items() if r == "fund_name")) - 1
        assert {cell_text(SHEETS[name][s["sheet"]][a["line"] - 1][col]) for a in f["accepted"]} == {fund}


@pytest.mark.parametrize("name", sorted(n for n, f in EXPECTED.items() if f["sheets"][0]["date_order"]))
def test_date_order_can_be_told_from_the_column(name: str) -> None:
    """A month/day/year column has a value with a second part over 12; a day-first one has none."""
    f = EXPECTED[name]
    seconds = []
    for s in f["sheets"]:
        col = int(next(k for k, r in s["columns"].items() if r == "birth_date")) - 1
        for a in f["accepted"]:
            if a["sheet"] == s["sheet"]:
                m = re.match(r"(\d{1,2})[/-](\d{1,2})[/-]", cell_text(SHEETS[name][s["sheet"]][a["line"] - 1][col]))
                if m:
                    seconds.append(int(m.group(2)))
    if not seconds:  # month names ("5 ม.ค. 2510"): read day first, nothing to tell
        assert f["sheets"][0]["date_order"] == "dmy"
    elif f["sheets"][0]["date_order"] == "mdy":
        assert max(seconds) > 12
    else:
        assert max(seconds) <= 12


def test_linkage_truth_holds_together() -> None:
    """One valid ID per person, no ID shared by two persons, ~60% of members in an extract, namesakes present."""
    ids: dict[str, set[str]] = defaultdict(set)
    names: dict[tuple[str, str], set[str]] = defaultdict(set)
    members, poor = set(), set()
    for f in EXPECTED.values():
        for a in f["accepted"]:
            if a["id_valid"]:
                ids[a["person"]].add(a["citizen_id"])
            (members if f["dataset"] == "roster" else poor).add(a["person"])
            if f["dataset"] == "poverty":
                names[(a["first_name"], a["last_name"])].add(a["person"])
    assert all(len(v) == 1 for v in ids.values())
    owners = defaultdict(set)
    for person, v in ids.items():
        owners[next(iter(v))].add(person)
    assert all(len(v) == 1 for v in owners.values())
    assert 0.5 <= len(members & poor) / len(members) <= 0.7
    assert len(poor - members) >= 20
    assert sum(len(v) > 1 for v in names.values()) >= 4, "namesakes in the extracts"
