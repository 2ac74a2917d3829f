"""The review loop (issue 14, point 5): export the queue, decide in the workbook, import, link again.

The link-level tests run the real link() on real DuckDB: a generated population with the hand-made traps of
tests/test_link_vetoes.py (a namesake with another valid ID, a son named after his father, a mover without a birth
year, a duplicate row, a mover Splink links). The queue is written as a real XLSX file, read back with calamine and
filled in as a reviewer's spreadsheet program would save it (rows re-sorted, written anew with xlsxwriter), then
imported. One real Prefect run pair checks the manifest's counts, the history's copy and the audit.
"""

import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook
from test_link_vetoes import traps
from test_linkage import load_std, population

from flows.config import ConfigError, load_config
from flows.link import link
from flows.review import ReviewError, read_decisions, record_decisions
from flows.review_xlsx import DECISION, QUEUE_SHEET, README_SHEET, export_queue, read_workbook, reason_th
from transforms.clerical_sql import decision_counts_sql, record_key_sql

TRAP_ROSTER, TRAP_POVERTY = "trap_fund.csv", "trap_tpmap.csv"


def _line(record_id: int) -> int:
    """The sheet line of a trap record (test_link_vetoes: source_row = record_id - 9000, one header line)."""
    return record_id - 9000 + 1


def _std() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    roster, poverty, _ = population(200, seed=11)
    trap_roster, trap_poverty = traps()
    return roster + trap_roster, poverty + trap_poverty


def _linked(roster: list[dict[str, Any]], poverty: list[dict[str, Any]],
            decisions: Path | None = None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    load_std(con, roster, poverty)
    link(con, seed=1, decisions=str(decisions) if decisions else None)
    return con


def _outcome(con: duckdb.DuckDBPyConnection, roster_id: int, poverty_id: int) -> tuple[str, int | None, str | None]:
    """(the roster record's method, its poverty record, the pair's review reason or None)."""
    method, linked_to = con.execute("select match_method, poverty_record_id from links where roster_record_id = ?",
                                    [roster_id]).fetchone() or ("absent", None)
    reason = con.execute("select review_reason from review where roster_record_id = ? and poverty_record_id = ?",
                         [roster_id, poverty_id]).fetchone()
    return method, linked_to, reason[0] if reason else None


def _keys(con: duckdb.DuckDBPyConnection, roster_id: int, poverty_id: int) -> tuple[str, str]:
    row = con.execute(f"select {record_key_sql('r')}, {record_key_sql('p')} from std_roster r, std_poverty p "
                      "where r.record_id = ? and p.record_id = ?", [roster_id, poverty_id]).fetchone()
    assert row is not None
    return row[0], row[1]


def fill(src: Path, dst: Path, decide: Callable[[dict[str, Any]], str | None]) -> None:
    """A reviewer's save of the exported workbook: rows re-sorted (reversed), decisions typed in, written anew."""
    rows = CalamineWorkbook.from_path(str(src)).get_sheet_by_name(QUEUE_SHEET).to_python()
    header, body = [str(h) for h in rows[0]], rows[1:]
    wb = xlsxwriter.Workbook(str(dst), {"strings_to_formulas": False, "strings_to_numbers": False})
    ws = wb.add_worksheet(QUEUE_SHEET)
    ws.write_row(0, 0, header)
    for i, row in enumerate(reversed(body), 1):
        record = dict(zip(header, row, strict=True))
        record[DECISION] = decide(record) or ""
        for j, name in enumerate(header):
            value = record[name]
            ws.write_string(i, j, value) if isinstance(value, str) else ws.write_number(i, j, value)
    wb.close()


def _pair(record: dict[str, Any]) -> tuple[int, int] | None:
    """The trap pair a workbook row shows, as (roster line, poverty line), as a reviewer finds it."""
    if record["แฟ้มทะเบียนสมาชิก"] != TRAP_ROSTER:
        return None
    return int(record["แถวในทะเบียน"]), int(record["แถวในข้อมูลคนจน"])


# The reviewer's decisions on the trap pairs in the queue (roster record, poverty record): label
WORKBOOK_DECISIONS = {
    (9008, 9008): "ใช่",       # the mover without a birth year: the same woman
    (9002, 9001): "ไม่ใช่",    # the namesake with his own valid ID: another man
    (9003, 9002): "ไม่แน่ใจ",  # the son named after his father: cannot tell from the file
}
# Decisions on pairs Splink links, written straight into the decisions file (a later round's reviewer)
FILE_DECISIONS = {
    (9007, 9007): "reject",  # the mover Splink links by names and birth year
    (9010, 9009): "unsure",  # the member's second row, without her ID
}


@pytest.fixture(scope="module")
def loop(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Link, export the queue, fill it in, import it, add two file decisions, link again (and again re-sorted)."""
    folder = tmp_path_factory.mktemp("review")
    roster, poverty = _std()
    before = _linked(roster, poverty)
    exported = folder / "queue.xlsx"
    counts = export_queue(before, exported)
    by_line = {(_line(r), _line(p)): label for (r, p), label in WORKBOOK_DECISIONS.items()}
    fill(exported, folder / "filled.xlsx", lambda rec: by_line.get(_pair(rec) or (0, 0)))
    decisions, per = read_workbook(folder / "filled.xlsx")
    target = folder / "state" / "decisions.parquet"
    imported = record_decisions(decisions, target, "filled.xlsx")
    record_decisions({_keys(before, r, p): d for (r, p), d in FILE_DECISIONS.items()}, target, "round2.xlsx")
    after = _linked(roster, poverty, target)
    # the files sent again, re-sorted: every record has another record id and row number
    resorted_roster = [r | {"record_id": 20000 - r["record_id"], "source_row": 20000 - r["source_row"]}
                       for r in reversed(roster)]
    resorted_poverty = [p | {"record_id": 30000 - p["record_id"], "source_row": 30000 - p["source_row"]}
                        for p in reversed(poverty)]
    resorted = _linked(resorted_roster, resorted_poverty, target)
    return {"before": before, "after": after, "resorted": resorted, "exported": exported, "counts": counts,
            "per": per, "imported": imported, "target": target, "roster": roster, "poverty": poverty}


def test_baseline_queue_holds_the_trap_pairs(loop: dict[str, Any]) -> None:
    before = loop["before"]
    for pair in WORKBOOK_DECISIONS:
        assert _outcome(before, *pair)[0] == "unlinked" and _outcome(before, *pair)[2] is not None
    assert _outcome(before, 9007, 9007)[:2] == ("probabilistic", 9007)  # Splink links these two
    assert _outcome(before, 9010, 9009)[:2] == ("probabilistic", 9009)


def test_export_is_a_restricted_thai_workbook_with_a_decision_list(loop: dict[str, Any]) -> None:
    book = CalamineWorkbook.from_path(str(loop["exported"]))
    assert book.sheet_names == [README_SHEET, QUEUE_SHEET]
    first = " ".join(str(c) for row in book.get_sheet_by_name(README_SHEET).to_python() for c in row)
    assert "เอกสารลับ" in first and "เลขประจำตัวประชาชน" in first and "RESTRICTED" in first
    rows = book.get_sheet_by_name(QUEUE_SHEET).to_python()
    header = [str(h) for h in rows[0]]
    assert header[:2] == ["roster_key", "poverty_key"] and DECISION in header
    assert {"สมาชิก: ชื่อ", "คนจน: ชื่อ", "สมาชิก: เลขประจำตัวประชาชน", "ตรงกัน", "ไม่ตรงกัน"} <= set(header)
    in_review = loop["before"].execute("select count(*) from review").fetchone()[0]
    assert len(rows) - 1 == loop["counts"]["pairs"] == in_review
    records = [dict(zip(header, r, strict=True)) for r in rows[1:]]
    mover = next(r for r in records if _pair(r) == (_line(9008), _line(9008)))
    assert mover["เหตุที่ต้องตรวจ"] == "ขัดแย้ง: ต่างพื้นที่และไม่มีปีเกิดยืนยัน"
    assert "ชื่อ" in mover["ตรงกัน"] and "ตำบล" in mover["ไม่ตรงกัน"] and mover["สมาชิก: เพศ"] == "หญิง"
    namesake = next(r for r in records if _pair(r) == (_line(9002), _line(9001)))
    ids = (namesake["สมาชิก: เลขประจำตัวประชาชน"], namesake["คนจน: เลขประจำตัวประชาชน"])
    assert all(isinstance(i, str) and re.fullmatch(r"\d{13}", i) for i in ids)  # whole, as text: never 3.1E+12
    xml = zipfile.ZipFile(loop["exported"]).read("xl/worksheets/sheet2.xml").decode()
    hidden = {c for lo, hi in re.findall(r'<col min="(\d+)" max="(\d+)"[^>]*hidden="1"', xml)
              for c in range(int(lo), int(hi) + 1)}
    assert hidden == {1, 2}  # the two key columns, and only they
    assert '<dataValidation type="list"' in xml and "<formula1>\"ใช่,ไม่ใช่,ไม่แน่ใจ\"</formula1>" in xml


def test_import_reads_the_decisions_by_key_whatever_the_row_order(loop: dict[str, Any]) -> None:
    assert loop["per"] == {"accept": 1, "reject": 1, "unsure": 1}
    assert loop["imported"] == {"new": 3, "changed": 0, "unchanged": 0, "total": 3}
    rows = read_decisions(loop["target"])
    assert len(rows) == 5 and {r[2] for r in rows} == {"accept", "reject", "unsure"}
    assert all(re.fullmatch(r"[0-9a-f]{64}", k) for r in rows for k in r[:2])  # keys, no names or IDs
    assert (loop["target"].stat().st_mode & 0o777) == 0o600


@pytest.mark.parametrize("run", ["after", "resorted"])
def test_decisions_apply_in_every_later_run(loop: dict[str, Any], run: str) -> None:
    con = loop[run]
    ids = _ids(loop, run)
    accepted = _outcome(con, ids["r", 9008], ids["p", 9008])
    assert accepted[:2] == ("clerical", ids["p", 9008]) and accepted[2] is None
    explanation = json.loads(con.execute("select explanation from links where roster_record_id = ?",
                                         [ids["r", 9008]]).fetchone()[0])
    assert explanation["method"] == "clerical" and "reviewer" in explanation["rule"]
    for r, p in ((9002, 9001), (9007, 9007)):  # rejected: never linked, gone from the queue, the veto named
        method, linked_to, reason = _outcome(con, ids["r", r], ids["p", p])
        assert linked_to != ids["p", p] and reason is None
        vetoed = con.execute("select vetoes from int_link_vetoed where roster_id = ? and poverty_id = ?",
                             [ids["r", r], ids["p", p]]).fetchone()
        assert vetoed is not None and "rejected by a reviewer" in vetoed[0]
    assert _outcome(con, ids["r", 9007], ids["p", 9007])[0] == "unlinked"  # Splink would have linked it
    for r, p in ((9003, 9002), (9010, 9009)):  # unsure: in review, unlinked, even the pair Splink would link
        assert _outcome(con, ids["r", r], ids["p", p]) == ("unlinked", None, "unsure: a reviewer could not decide")
    for r, p in ((9004, 9003), (9005, 9004)):  # undecided pairs stay as they were
        assert _outcome(con, ids["r", r], ids["p", p])[2] == _outcome(loop["before"], r, p)[2]
    methods = dict(con.execute("select match_method, count(*) from links group by all").fetchall())
    assert methods["clerical"] == 1


def _ids(loop: dict[str, Any], run: str) -> dict[tuple[str, int], int]:
    """Trap record ids as the run numbers them (the re-sorted files renumber every record)."""
    ids = {**{("r", r): r for r in range(9001, 9011)}, **{("p", p): p for p in range(9001, 9010)}}
    if run == "resorted":
        ids = {(side, n): (20000 if side == "r" else 30000) - i for (side, n), i in ids.items()}
    return ids


def test_decisions_count_applied_and_stale(loop: dict[str, Any]) -> None:
    con = duckdb.connect()
    sent_again = [r for r in loop["roster"] if r["record_id"] != 9008]  # the mover left the fund
    load_std(con, sent_again, loop["poverty"])
    rows = con.execute(decision_counts_sql("read_parquet($f)"), {"f": str(loop["target"])}).fetchall()
    assert rows == [("accept", 1, 0, 1), ("reject", 2, 2, 0), ("unsure", 2, 2, 0)]


def test_a_corrected_record_is_a_new_record_and_its_decision_stale(loop: dict[str, Any]) -> None:
    con = duckdb.connect()
    corrected = [r | {"birth_year_be": 2499, "birth_year_min": 2499, "birth_year_max": 2499}
                 if r["record_id"] == 9002 else r for r in loop["roster"]]
    load_std(con, corrected, loop["poverty"])
    rows = dict((d, s) for d, _, _, s in con.execute(decision_counts_sql("read_parquet($f)"),
                                                     {"f": str(loop["target"])}).fetchall())
    assert rows["reject"] == 1


def test_prepare_decisions_snapshots_counts_and_names_the_file(loop: dict[str, Any], tmp_path: Path) -> None:
    """What a run's manifest says (flows/pipeline.py calls this before linking), on a warehouse file."""
    import hashlib
    import shutil

    from flows.review import prepare_decisions

    out, folder = tmp_path / "out", tmp_path / "out" / "runs" / "r1"
    folder.mkdir(parents=True)
    warehouse = folder / "saphan.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        load_std(con, [r for r in loop["roster"] if r["record_id"] != 9002], loop["poverty"])
    settings, entry = prepare_decisions({"link": {"seed": 7}}, out, folder, warehouse)
    assert settings == {"seed": 7} and entry["file"] is None and entry["decisions"] == 0  # no decisions yet
    (out / "state").mkdir()
    shutil.copyfile(loop["target"], out / "state" / "decisions.parquet")
    settings, entry = prepare_decisions({"link": {"seed": 7}}, out, folder, warehouse)
    assert settings == {"seed": 7, "decisions": str(folder / "review_decisions.parquet")}
    assert entry["sha256"] == hashlib.sha256(loop["target"].read_bytes()).hexdigest()
    assert (entry["decisions"], entry["applied"], entry["stale"]) == (5, 4, 1)  # the namesake left the file
    assert entry["by_decision"]["reject"] == {"decisions": 2, "applied": 1, "stale": 1}
    with duckdb.connect(str(warehouse), read_only=True) as con:  # for a link stage split by province
        assert con.execute("select count(*) from int_review_decisions").fetchone() == (4,)
    config = {"link": {"decisions": str(tmp_path / "missing.parquet")}}
    with pytest.raises(ConfigError, match="file not found"):
        prepare_decisions(config, out, folder, warehouse)


def test_a_link_split_by_province_keeps_an_accepted_mover_with_the_person(loop: dict[str, Any],
                                                                           tmp_path: Path) -> None:
    """The mover's roster row is in Buri Ram (31), the person in Surin (32): the accepted pair links all the same."""
    from flows.partition import link_by_province

    con = duckdb.connect()
    load_std(con, loop["roster"], loop["poverty"])
    link_by_province(con, tmp_path / "parts", {"seed": 1, "decisions": str(loop["target"])})
    assert _outcome(con, 9008, 9008)[:2] == ("clerical", 9008)
    assert _outcome(con, 9007, 9007)[0] == "unlinked"  # rejected: and, across provinces, not looked for anyway


def _workbook(path: Path, rows: list[list[str]]) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(QUEUE_SHEET)
    ws.write_row(0, 0, ["roster_key", "poverty_key", "ลำดับ", DECISION])
    for i, row in enumerate(rows, 1):
        for j, value in enumerate(row):
            ws.write_string(i, j, value)
    wb.close()
    return path


KEY_A, KEY_B, KEY_C = "a" * 64, "b" * 64, "c" * 64


@pytest.mark.parametrize("rows, expected", [
    ([[KEY_A, KEY_B, "1", "ใช่"]], {(KEY_A, KEY_B): "accept"}),
    ([[KEY_A, KEY_B, "1", " ไม่ใช่ "], [KEY_A, KEY_C, "2", ""]], {(KEY_A, KEY_B): "reject"}),  # blank: none
    ([[KEY_A.upper(), KEY_B, "1", "ไม่แน่ใจ"]], {(KEY_A, KEY_B): "unsure"}),
    ([[KEY_A, KEY_B, "1", "ใช่"], [KEY_A, KEY_B, "2", "ใช่"]], {(KEY_A, KEY_B): "accept"}),  # a copied row
])
def test_read_workbook_cases(tmp_path: Path, rows: list[list[str]], expected: dict[tuple[str, str], str]) -> None:
    assert read_workbook(_workbook(tmp_path / "q.xlsx", rows))[0] == expected


@pytest.mark.parametrize("rows, lines", [
    ([[KEY_A, KEY_B, "1", "yes"]], "2"),  # not in the list
    ([[KEY_A, KEY_B, "1", "ใช่"], [KEY_A, "b" * 63, "2", "ใช่"]], "3"),  # a hidden key cut short
    ([[KEY_A, KEY_B, "1", "ใช่"], [KEY_A, KEY_B, "2", "ไม่ใช่"]], "3"),  # one pair, two decisions
])
def test_read_workbook_refuses_by_line(tmp_path: Path, rows: list[list[str]], lines: str) -> None:
    with pytest.raises(ReviewError, match=rf"line\(s\) {lines}: "):
        read_workbook(_workbook(tmp_path / "q.xlsx", rows))


def test_read_workbook_refuses_another_workbook(tmp_path: Path) -> None:
    wb = xlsxwriter.Workbook(str(tmp_path / "other.xlsx"))
    wb.add_worksheet("Sheet1").write_string(0, 0, "สมชาย ใจดี")
    wb.close()
    with pytest.raises(ReviewError, match="not a review workbook") as e:
        read_workbook(tmp_path / "other.xlsx")
    assert "สมชาย" not in str(e.value)


def test_record_decisions_merges_and_a_new_decision_wins(tmp_path: Path) -> None:
    target = tmp_path / "d.parquet"
    assert record_decisions({(KEY_A, KEY_B): "unsure"}, target, "r1.xlsx")["new"] == 1
    counts = record_decisions({(KEY_A, KEY_B): "accept", (KEY_A, KEY_C): "reject"}, target, "r2.xlsx")
    assert counts == {"new": 1, "changed": 1, "unchanged": 0, "total": 2}
    assert [r[:4] for r in read_decisions(target)] == [(KEY_A, KEY_B, "accept", "r2.xlsx"),
                                                       (KEY_A, KEY_C, "reject", "r2.xlsx")]


@pytest.mark.parametrize("reason, thai", [
    ("between the review and link thresholds", "คะแนนอยู่ระหว่างเกณฑ์ตรวจกับเกณฑ์เชื่อมโยง"),
    ("vetoed: birth years 25 apart", "ขัดแย้ง: ปีเกิดห่างกัน 25 ปี"),
    ("vetoed: different valid IDs; first names differ", "ขัดแย้ง: เลขประจำตัวถูกต้องทั้งสองฝั่งแต่ต่างกัน; ชื่อต่างกัน"),
    ("vetoed: sex differs: M vs F", "ขัดแย้ง: เพศต่างกัน"),
    ("something new", "something new"),  # an unknown reason is shown as it is, not dropped
])
def test_reason_th(reason: str, thai: str) -> None:
    assert reason_th(reason) == thai


_KEY_CON = duckdb.connect()
FIELDS = ("first_name", "last_name", "birth_year_be", "birth_year_min", "birth_year_max", "cid", "province_code",
          "district_code", "subdistrict_code", "village_no")


def _key(**record: Any) -> str:
    values = {f: record.get(f) for f in FIELDS}
    cols = ", ".join(f"?::{'integer' if f.startswith('birth') else 'varchar'} as {f}" for f in FIELDS)
    return str(_KEY_CON.execute(f"select {record_key_sql('s')} from (select {cols}) s", list(values.values()))
               .fetchone()[0])


_text = st.one_of(st.none(), st.text(alphabet='กขสมชาย|"[],\\ 1', max_size=6))
_record = st.fixed_dictionaries({"first_name": _text, "last_name": _text, "cid": _text, "village_no": _text,
                                 "birth_year_be": st.one_of(st.none(), st.integers(2480, 2482))})


@settings(max_examples=200, deadline=None)
@given(a=_record, b=_record)
def test_record_key_is_the_content_and_only_the_content(a: dict[str, Any], b: dict[str, Any]) -> None:
    """Two records share a key exactly when every keyed field is the same (separators, quotes, nulls included)."""
    key = _key(**a)
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    assert (key == _key(**b)) == (a == b)


def test_an_age_range_is_part_of_the_key() -> None:
    age = {"first_name": "ประยูร", "birth_year_min": 2528, "birth_year_max": 2529}
    assert _key(**age) == _key(**age) != _key(**(age | {"birth_year_max": 2530}))
    assert _key(**(age | {"birth_year_be": 2528})) != _key(**age)


def test_config_names_a_decisions_file_relative_to_itself(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "saphan.toml").write_text('[link]\ndecisions = "reviews/d.parquet"\n', encoding="utf-8")
    config = load_config(tmp_path / "conf" / "saphan.toml")
    assert config["link"]["decisions"] == str(tmp_path / "conf" / "reviews" / "d.parquet")
    (tmp_path / "bad.toml").write_text("[link]\ndecisions = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="decisions must be a file path"):
        load_config(tmp_path / "bad.toml")


# --- a real run, the workbook through the command line, a rerun, the audit --------------------------------------

ROSTER_HEADER = ["ลำดับ", "คำนำหน้า", "ชื่อ", "นามสกุล", "เลขประจำตัวประชาชน", "ปีเกิด", "บ้านเลขที่", "หมู่",
                 "ตำบล", "อำเภอ", "จังหวัด"]
POVERTY_HEADER = ["รหัสบ้าน", "เลขประจำตัวประชาชน", "คำนำหน้า", "ชื่อ", "นามสกุล", "เพศ", "ปีเกิด", "บ้านเลขที่",
                  "หมู่", "รหัสตำบล", "ตำบล", "อำเภอ", "จังหวัด", "มิติรายได้"]


def _place(code: str) -> tuple[str, str, str]:
    import geothai

    return geothai.subdistrict(code).name_th, geothai.district(code[:4]).name_th, geothai.province(code[:2]).name_th


def _csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    import csv

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *[["" if v is None else v for v in r] for r in rows]])


def write_inputs(folder: Path, roster: list[dict[str, Any]], poverty: list[dict[str, Any]]) -> None:
    """Roster CSVs (one per fund, a volunteer's columns) and a TPMAP-style extract, from std-like rows."""
    places = {c: _place(c) for c in sorted({r["subdistrict_code"] for r in roster + poverty})}
    title = {"M": "นาย", "F": "นาง", None: ""}
    funds: dict[str, list[list[Any]]] = {}
    for r in roster:
        funds.setdefault(r["source_file"], []).append(
            [len(funds.get(r["source_file"], [])) + 1, title[r["sex"]], r["first_name"], r["last_name"], r["cid"],
             r["birth_year_be"], r["house_no"], r["village_no"], *places[r["subdistrict_code"]]])
    for name, rows in funds.items():
        _csv(folder / "rosters" / name, ROSTER_HEADER, rows)
    _csv(folder / "poverty" / "tpmap_2567.csv", POVERTY_HEADER, [
        [p.get("house_code") or f"9{p['record_id']:010d}", p["cid"], title[p["sex"]], p["first_name"], p["last_name"],
         p["sex"], p["birth_year_be"], p["house_no"], p["village_no"], p["subdistrict_code"],
         *places[p["subdistrict_code"]], 1] for p in poverty])


def _cli(*argv: str) -> int:
    import argparse

    from flows import cli_review

    parser = argparse.ArgumentParser(prog="saphan")
    cli_review.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    return int(args.func(args))


@pytest.mark.slow
def test_real_runs_apply_count_keep_and_audit_decisions(prefect_harness: None, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from flows import history
    from flows.audit import audit
    from flows.pipeline import pipeline
    from flows.readers import sha256_file

    roster, poverty, _ = population(120, seed=5)
    trap_roster, trap_poverty = traps()
    keep = (9002, 9008)  # the namesake with his own valid ID, the mover without a birth year
    trap_roster = [r for r in trap_roster if r["record_id"] in keep]
    inputs, out = tmp_path / "inbox", tmp_path / "out"
    write_inputs(inputs, roster + trap_roster, poverty + trap_poverty)
    first = pipeline([str(inputs / "rosters")], [str(inputs / "poverty")], str(out))
    assert first["review_decisions"]["file"] is None and "clerical" not in first["match_methods"]

    assert _cli("review", "export", str(tmp_path / "queue.xlsx"), "--out", str(out)) == 0
    assert "RESTRICTED" in capsys.readouterr().out
    decide = {("จำเนียร", "จำเนียร"): "ใช่", ("สมพงษ์", "สมพงษ์"): "ไม่ใช่"}
    fill(tmp_path / "queue.xlsx", tmp_path / "filled.xlsx",
         lambda r: decide.get((r["สมาชิก: ชื่อ"], r["คนจน: ชื่อ"])) if r["แฟ้มทะเบียนสมาชิก"] == TRAP_ROSTER else None)
    assert _cli("review", "import", str(tmp_path / "filled.xlsx"), "--out", str(out)) == 0
    assert "recorded 2 decisions" in capsys.readouterr().out

    # the fund sends its file again: re-sorted, and without the namesake (his decision is now stale)
    write_inputs(inputs, roster + [r for r in trap_roster if r["record_id"] == 9008][::-1], poverty + trap_poverty)
    second = pipeline([str(inputs / "rosters")], [str(inputs / "poverty")], str(out))
    entry = second["review_decisions"]
    assert (entry["decisions"], entry["applied"], entry["stale"]) == (2, 1, 1)
    assert entry["by_decision"]["accept"] == {"decisions": 1, "applied": 1, "stale": 0}
    assert entry["by_decision"]["reject"] == {"decisions": 1, "applied": 0, "stale": 1}
    assert second["match_methods"]["clerical"] == 1
    con = duckdb.connect(str(out / "saphan.duckdb"), read_only=True)
    mover = con.execute("select l.match_method, p.first_name from links l join std_roster r "
                        "on r.record_id = l.roster_record_id left join std_poverty p "
                        "on p.record_id = l.poverty_record_id where r.first_name = 'จำเนียร'").fetchall()
    con.close()
    assert mover == [("clerical", "จำเนียร")]
    on_disk = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk["review_decisions"]["sha256"] == entry["sha256"]
    copy = history.kept_decisions(history.state_dir(out), second["run_id"])
    assert sha256_file(copy) == entry["sha256"]

    # a later round changes the state's decisions: the audit still reruns with the run's own copy
    record_decisions({(KEY_A, KEY_B): "accept"}, history.state_dir(out) / "decisions.parquet", "later.xlsx")
    identical, report = audit(second["run_id"], history.state_dir(out), scratch=tmp_path / "audit")
    assert identical, report
    copy.write_bytes(b"not the decisions")
    with pytest.raises(Exception, match="keeps no intact copy"):
        audit(second["run_id"], history.state_dir(out), scratch=tmp_path / "audit2")
