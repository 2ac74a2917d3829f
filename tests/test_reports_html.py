"""The HTML report (issue 18, point 1): checked as text, its embedded font with fontTools, and rendered in headless
Chromium on a machine with no Thai font installed."""

import base64
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
from cdp_fonts import Rendering, render
from report_cases import HOSTILE, MANIFEST, MODEL, case_warehouse, write_case_reports
from test_marts import FUND_A

from flows.report_font import FONT_FAMILY
from flows.report_run import thai_datetime
from flows.reports import HTML_NAME, html_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian package `chromium`)")


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    return write_case_reports(tmp_path_factory.mktemp("reports"))


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
    with case_warehouse(tmp_path / "saphan.duckdb") as con:
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
    with case_warehouse(tmp_path / "saphan.duckdb") as con:
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
    with case_warehouse(tmp_path / "saphan.duckdb") as con:
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
