"""Every unreadable input is rejected in one line naming the file and a reason, while the other files run
(issue 16, point 1), and no reason quotes the file's contents (IDs, names)."""

import os
import zipfile

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flows.ingest import ingest_files
from flows.readers import MAX_SHEET_CELLS, safe_reason

HEADER = "คำนำหน้า,ชื่อ,นามสกุล,เลขประจำตัวประชาชน\n"
ROWS = "นาย,สมชาย,ใจดี,1101700203451\nนาง,สมศรี,มีสุข,3310100123459\n"
SECRETS = ("1101700203451", "3310100123459", "สมชาย", "สมศรี")


def _xlsx_with_one_cell_at(path, ref: str, dimension: str | None) -> None:
    """A tiny workbook whose only cell sits at `ref` (a 2 KB file that a reader would expand from A1)."""
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             + (f'<dimension ref="{dimension}"/>' if dimension else "")
             + f'<sheetData><row r="{ref[3:]}"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
             '</worksheet>')
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
        'org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
        '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"'
        '/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
        'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
        'formats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)


@pytest.fixture
def hostile(tmp_path):
    d = tmp_path / "rosters"
    d.mkdir()
    (d / "good.csv").write_text(HEADER + ROWS, encoding="utf-8")
    (d / "bom_bad_byte.csv").write_bytes(b"\xef\xbb\xbf" + (HEADER + ROWS).encode() + b"\xff\xfe\xfa,x\n")
    (d / "utf16_odd.csv").write_bytes((HEADER + ROWS).encode("utf-16")[:-1])
    pq.write_table(pa.table({"first_name": [["สมชาย"]], "last_name": ["ใจดี"]}), d / "nested.parquet")
    bad_utf8 = pa.array([b"\xff\xfe1101700203451"], pa.binary()).view(pa.string())
    pq.write_table(pa.table({"first_name": bad_utf8, "last_name": ["ใจดี"]}), d / "bad_utf8.parquet")
    _xlsx_with_one_cell_at(d / "far_cell.xlsx", "XFD1048576", None)
    _xlsx_with_one_cell_at(d / "declared_huge.xlsx", "A1", "A1:XFD1048576")
    locked = d / "locked.csv"
    locked.write_text(HEADER + ROWS.replace("สมชาย", "สมปอง"), encoding="utf-8")
    locked.chmod(0)
    big_cell = d / "big_cell.csv"
    big_cell.write_text(HEADER + "นาย,สมหมาย,ใจดี\n" + "นาง,สมใจ,มีสุข,1101700203451,\"" + "ก" * 1_100_000 + "\"\n",
                        encoding="utf-8")
    yield d
    locked.chmod(0o600)


def test_every_cause_is_rejected_in_one_line_and_the_good_file_is_read(hostile):
    con = duckdb.connect()
    reports = {r.name: r for r in ingest_files(con, "roster", [hostile], {})}
    reasons = {n: r.reason for n, r in reports.items() if r.status == "rejected"}
    assert "invalid at byte" in reasons["bom_bad_byte.csv"]
    assert "encoding" in reasons["utf16_odd.csv"] or "invalid at byte" in reasons["utf16_odd.csv"]
    assert "nested column" in reasons["nested.parquet"]
    assert "Parquet" in reasons["bad_utf8.parquet"]
    assert "declares 1,048,576 rows x 16,384 columns" in reasons["far_cell.xlsx"]
    assert "declares 1,048,576 rows x 16,384 columns" in reasons["declared_huge.xlsx"]
    if os.geteuid() != 0:  # root reads any file: the permission case only exists for other users
        assert "permission denied" in reasons["locked.csv"]
    for reason in reasons.values():
        assert "\n" not in reason and not any(s in reason for s in SECRETS), reason
    assert reports["good.csv"].status == "ingested" and reports["good.csv"].rows_read == 2
    # a ragged CSV with a 1 MB cell is read, not rejected for the csv module's field limit
    assert reports["big_cell.csv"].status == "ingested" and reports["big_cell.csv"].rows_read == 2


def test_a_one_megabyte_name_cell_is_read_and_staged_not_stalled(tmp_path):
    from flows.pipeline import _init_warehouse
    from flows.standardise import standardise

    (tmp_path / "a.csv").write_text(HEADER + "นาย," + "ก" * 1_000_000 + ",ใจดี,\n" + ROWS, encoding="utf-8")
    _init_warehouse(tmp_path / "w.duckdb", None)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    [report] = ingest_files(con, "roster", [tmp_path / "a.csv"], {})
    standardise(con, "roster", {"warehouse": {"workers": 1}})
    assert report.rows_read == 3
    assert con.execute("select count(*) from stg_roster where reject_reason is null").fetchone() == (3,)


def test_an_io_error_while_reading_names_the_file_without_its_contents(tmp_path, monkeypatch):
    (tmp_path / "a.csv").write_text(HEADER + ROWS, encoding="utf-8")

    def failing(*_args, **_kw):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr("flows.readers.read_csv_grid", failing)
    [report] = ingest_files(duckdb.connect(), "roster", [tmp_path / "a.csv"], {})
    assert report.status == "rejected"
    assert report.reason == "could not read the file: Input/output error"


@pytest.mark.parametrize("error", [
    UnicodeDecodeError("utf-8", b"\xff1101700203451", 0, 1, "invalid start byte"),
    ValueError("bad value 'สมชาย 1101700203451'"),
    KeyError("1101700203451"),
])
def test_reasons_never_quote_the_data(error):
    reason = safe_reason(error)
    assert not any(s in reason for s in SECRETS)


def test_the_cell_limit_is_a_real_bound():
    assert 16_384 * 1_048_576 > MAX_SHEET_CELLS >= 1_000_000 * 40  # a province workbook fits, XFD1048576 does not


def test_row_rules_quarantine_lines_that_are_no_person_and_flag_impossible_years(tmp_path):
    """Issue 16 point 6: every line is accepted or quarantined with its own reason; no person is dropped."""
    from flows.pipeline import _init_warehouse
    from flows.standardise import standardise

    text = ("ทะเบียนสมาชิก ปี 2567\n"
            "นาย,สมหมาย,ใจดี,3310100123459,01/01/2500\n"  # a member typed above the header
            "คำนำหน้า,ชื่อ,นามสกุล,เลขประจำตัวประชาชน,วันเกิด\n"
            "นาย,สมชาย,ใจดี,1101700203451,05/01/2510\n"
            "คำนำหน้า,ชื่อ,นามสกุล,เลขประจำตัวประชาชน,วันเกิด\n"  # the header again (a printed page)
            "นาง,สมศรี,มีสุข,,05/01/2590\n"  # born in the future (BE)
            "นาง,สมใจ,มีสุข,,05/01/2099\n"  # born in the future (CE)
            "นาย,,,,\n"  # a title and nothing else
            "รวม 4 คน,,,,\n"
            "ลงชื่อ..............ผู้รับรอง,,,,\n")
    (tmp_path / "a.csv").write_text(text, encoding="utf-8")
    _init_warehouse(tmp_path / "w.duckdb", None)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    [report] = ingest_files(con, "roster", [tmp_path / "a.csv"], {})
    standardise(con, "roster", {"warehouse": {"workers": 1}})
    rows = con.execute("select source_line, reject_reason, birth_year_be, birth_date_status from stg_roster "
                       "order by source_line").fetchall()
    assert [(line, reason) for line, reason, _, _ in rows] == [
        (2, "above_header"), (4, None), (5, "repeated_header"), (6, None), (7, None), (8, "no_name"),
        (9, "total_line"), (10, "signature_line")]
    by_line = {r[0]: r for r in rows}
    assert by_line[4][2:] == (2510, "ok")
    assert by_line[6][2:] == (None, "implausible") and by_line[7][2:] == (None, "implausible")
    assert report.reading[0]["title_lines"] == 1  # the title line is counted, not staged
