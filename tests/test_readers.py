"""Readers and ingest on real files, including the bad-input corpus: every bad file is named with a reason."""

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import xlsxwriter

from flows.cli_inspect import reading_lines
from flows.ingest import ingest_files
from flows.readers import UnreadableFile, decode_text, read_csv_grid

HEADER = "คำนำหน้า,ชื่อ,นามสกุล,เลขประจำตัวประชาชน\n"
ROWS = "นาย,สมชาย,ใจดี,1101700203451\nนาง,สมศรี,มีสุข,\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ((HEADER + ROWS).encode("utf-8-sig"), "utf-8-sig"),
        ((HEADER + ROWS).encode("utf-8"), "utf-8"),
        ((HEADER + ROWS).encode("cp874"), "cp874"),
        ((HEADER + ROWS).encode("utf-16"), "utf-16"),
    ],
)
def test_decode_text_tells_encodings_apart(data, encoding):
    text, found = decode_text(data)
    assert found == encoding
    assert text.startswith("คำนำหน้า")


def test_binary_is_not_a_table():
    with pytest.raises(UnreadableFile, match="binary"):
        decode_text(b"PK\x03\x04\x00\x00junk")


def test_csv_grid_keeps_blank_records_and_pads_short_rows(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text(HEADER + "นาย,สมชาย\n,,,\n" + ROWS, encoding="utf-8")
    grid, _, _ = read_csv_grid(p)
    rows = grid.to_pylist()
    assert len(rows) == 5
    assert rows[1] == {"c0": "นาย", "c1": "สมชาย", "c2": None, "c3": None}
    assert set(rows[2].values()) == {None}


def _write_xlsx(path, rows):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("สมาชิก")
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v is not None:
                ws.write(i, j, v)
    wb.close()


@pytest.fixture
def bad_corpus(tmp_path):
    d = tmp_path / "rosters"
    d.mkdir()
    (d / "good.csv").write_text(HEADER + ROWS, encoding="utf-8")
    (d / "empty.csv").write_bytes(b"")
    (d / "binary.csv").write_bytes(bytes(range(256)) * 4)
    (d / "no_header.csv").write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    (d / "header_only.csv").write_text(HEADER, encoding="utf-8")
    (d / "missing_name.csv").write_text("เลขประจำตัวประชาชน,ตำบล\n1101700203451,ในเมือง\n", encoding="utf-8")
    (d / "corrupt.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    (d / "corrupt.parquet").write_bytes(b"PAR1 nope")
    (d / "copy_of_good.csv").write_text(HEADER + ROWS, encoding="utf-8")
    _write_xlsx(d / "titled.xlsx", [["ทะเบียนสมาชิก"], [], ["ชื่อ", "นามสกุล", "เลขบัตรประชาชน"],
                                      ["สมชาย", "ใจดี", 1101700203451], ["สมศรี", "มีสุข", None]])
    pq.write_table(pa.table({"first_name": ["สมชาย"], "last_name": ["ใจดี"], "citizen_id": [None]}),
                   d / "plain.parquet")
    return d


def test_ingest_names_every_bad_file_and_reads_the_rest(bad_corpus):
    con = duckdb.connect()
    reports = {r.name: r for r in ingest_files(con, "roster", [bad_corpus, bad_corpus / "nope.csv"], {})}
    reasons = {n: r.reason for n, r in reports.items() if r.status == "rejected"}
    assert reasons["empty.csv"] == "empty file"
    assert "binary" in reasons["binary.csv"]
    assert "no header row" in reasons["no_header.csv"]
    assert reasons["header_only.csv"] == "header found but no data rows"
    assert "required column missing" in reasons["missing_name.csv"]
    assert "workbook" in reasons["corrupt.xlsx"]
    assert "Parquet" in reasons["corrupt.parquet"]
    assert "same content as" in reasons["good.csv"] or "same content as" in reasons["copy_of_good.csv"]
    assert any("no such file" in (r or "") for r in reasons.values())
    assert all("\n" not in r for r in reasons.values())
    read = {n: r.rows_read for n, r in reports.items() if r.status == "ingested"}
    assert read == {"copy_of_good.csv": 2, "titled.xlsx": 2, "plain.parquet": 1}
    rows = con.execute(
        "select source_file, source_row, first_name, citizen_id from raw_roster order by 1, 2"
    ).fetchall()
    assert ("titled.xlsx", 1, "สมชาย", "1101700203451") in rows  # number cell read as the digits shown
    assert ("titled.xlsx", 2, "สมศรี", None) in rows
    assert reports["titled.xlsx"].sheets[0]["header_line"] == 3


def test_config_mapping_covers_headers_the_synonyms_miss(tmp_path):
    p = tmp_path / "odd.csv"
    p.write_text("ชื่อผู้สมัคร,เบอร์\nนายสมชาย ใจดี,0812345678\n", encoding="utf-8")
    con = duckdb.connect()
    cfg = {"sources": [{"match": "odd*.csv", "columns": {"ชื่อผู้สมัคร": "full_name"}}]}
    [report] = ingest_files(con, "roster", [p], cfg)
    assert report.status == "ingested"
    # "เบอร์" is no known header, but its values are phone numbers: read as such (and not staged)
    assert report.unmapped_headers == []
    assert [(c["header"], c["role"]) for c in report.reading[0]["columns"]] == [
        ("ชื่อผู้สมัคร", "full_name"), ("เบอร์", "phone")]
    assert con.execute("select full_name from raw_roster").fetchall() == [("นายสมชาย ใจดี",)]


def test_ingest_inserts_in_batches_without_changing_rows_or_their_order(sample_dir, monkeypatch):
    # Files are appended a batch of rows at a time; any batch size gives the same raw table, row for row.
    tables = []
    for batch in (10**9, 1):
        monkeypatch.setattr("flows.ingest._INSERT_BATCH_ROWS", batch)
        con = duckdb.connect()
        ingest_files(con, "roster", [sample_dir / "rosters"], {})
        tables.append(con.execute("select * from raw_roster").fetchall())
    assert len(tables[0]) > 100 and tables[0] == tables[1]


def test_blank_lines_above_a_workbooks_table_keep_the_spreadsheets_line_numbers(tmp_path):
    # fastexcel drops a sheet's leading blank rows unless told not to: the header on row 4 was read as line 1,
    # and a fix list would have sent the fund to the wrong line. A CSV's blank lines always counted.
    table = [["ชื่อ", "นามสกุล", "เลขประจำตัวประชาชน"], ["สมชาย", "ใจดี", "1101700203451"], ["สมศรี", "มีสุข", "12345"]]
    _write_xlsx(tmp_path / "blank_top.xlsx", [[], [], [], *table])
    (tmp_path / "blank_top.csv").write_text(",,\n,,\n,,\n" + "".join(",".join(r) + "\n" for r in table),
                                            encoding="utf-8")
    con = duckdb.connect()
    reports = ingest_files(con, "roster", [tmp_path / "blank_top.xlsx", tmp_path / "blank_top.csv"], {})
    assert [r.reading[0]["header_lines"] for r in reports] == [[4], [4]]
    lines = con.execute("select source_file, source_line from raw_roster where first_name is not null "
                        "order by all").fetchall()
    assert lines == [("blank_top.csv", 5), ("blank_top.csv", 6), ("blank_top.xlsx", 5), ("blank_top.xlsx", 6)]


def test_a_hidden_sheet_is_read_and_said_to_be_hidden(tmp_path):
    # Volunteers hide an old copy of the roster or a list for drop-downs: its members are read (nothing lost), and
    # the reading says the sheet was hidden, so a doubled count is seen at once; the config's sheet pattern leaves it.
    wb = xlsxwriter.Workbook(str(tmp_path / "fund.xlsx"))
    header = ["ชื่อ", "นามสกุล", "เลขประจำตัวประชาชน"]
    for name, hidden, rows in (("สมาชิก", False, [["สมชาย", "ใจดี", "1101700203451"], ["สมศรี", "มีสุข", ""]]),
                               ("สมาชิก (เก่า)", True, [["สมชาย", "ใจดี", "1101700203451"]])):
        ws = wb.add_worksheet(name)
        for i, row in enumerate([header, *rows]):
            ws.write_row(i, 0, row)
        if hidden:
            ws.hide()
    wb.close()
    con = duckdb.connect()
    [report] = ingest_files(con, "roster", [tmp_path / "fund.xlsx"], {})
    assert report.rows_read == 3
    assert [w for w in report.warnings if "hidden" in w] == [
        "sheet 'สมาชิก (เก่า)' is hidden in the workbook: read like the others "
        '([[sources]] sheet = "..." reads only the sheets it names)']
    config = {"sources": [{"match": "fund.xlsx", "sheet": "สมาชิก"}]}
    [only_visible] = ingest_files(duckdb.connect(), "roster", [tmp_path / "fund.xlsx"], config)
    assert only_visible.rows_read == 2 and not only_visible.warnings


def test_a_village_number_merged_over_its_members_lines_belongs_to_each_of_them(tmp_path):
    # The table starts at C3 (blank rows and columns before it); หมู่ 3 is one cell merged down three members' lines,
    # and the two-line header merges ชื่อ down its two lines: only merges below the header are filled.
    wb = xlsxwriter.Workbook(str(tmp_path / "fund.xlsx"))
    ws = wb.add_worksheet("สมาชิก")
    ws.merge_range(2, 3, 3, 3, "ชื่อ")
    ws.write_row(2, 4, ["นามสกุล", "ที่อยู่"])
    ws.write_row(3, 2, ["หมู่ที่"])
    ws.write_row(3, 4, [None, "ตำบล"])
    rows = [["สมชาย", "ใจดี"], ["สมศรี", "มีสุข"], ["สมหญิง", "ดีใจ"], ["มานะ", "ขยัน"]]
    for i, row in enumerate(rows):
        ws.write_row(4 + i, 3, [*row, "ในเมือง"])
    ws.merge_range(4, 2, 6, 2, "3")
    ws.write(7, 2, "5")
    wb.close()
    con = duckdb.connect()
    [report] = ingest_files(con, "roster", [tmp_path / "fund.xlsx"], {})
    assert report.reading[0]["header_lines"] == [3, 4]
    assert con.execute("select source_line, first_name, village_no from raw_roster order by 1").fetchall() == [
        (5, "สมชาย", "3"), (6, "สมศรี", "3"), (7, "สมหญิง", "3"), (8, "มานะ", "5")]
    # columns are numbered as the spreadsheet shows them: หมู่ที่ is in C, the 3rd (fastexcel drops blank A and B)
    assert [w for w in report.warnings if "merged" in w] == [
        "sheet 'สมาชิก': column 3 'หมู่ที่': 2 line(s) under a merged cell given its value"]
    numbered = {c["header"]: c["column"] for c in report.reading[0]["columns"] if c["header"]}
    assert numbered["หมู่ที่"] == 3 and numbered["นามสกุล"] == 5
    assert any(line.startswith("       3 หมู่ที่ -> village_no") for line in reading_lines(report.as_dict()))


@pytest.mark.parametrize("delimiter", [";", "|", "\t", ","])
def test_semicolon_and_pipe_separated_files_read_as_comma_and_tab_ones_do(tmp_path, delimiter):
    # Excel writes semicolons where the decimal mark is a comma, and some systems export with pipes; an address
    # with a comma in it must not turn the file into a comma one.
    lines = [["ชื่อ", "นามสกุล", "เลขประจำตัวประชาชน", "ที่อยู่"], ["สมชาย", "ใจดี", "1101700203451", "12 ม.3, ในเมือง"],
             ["สมศรี", "มีสุข", "", "5 ม.1"]]
    quote = '"' if delimiter == "," else ""
    text = "".join(delimiter.join(f"{quote}{c}{quote}" if "," in c else c for c in r) + "\n" for r in lines)
    (tmp_path / "fund.csv").write_text(text, encoding="utf-8")
    [report] = ingest_files(duckdb.connect(), "roster", [tmp_path / "fund.csv"], {})
    assert report.status == "ingested" and report.rows_read == 2
    assert [c["role"] for c in report.reading[0]["columns"]][:3] == ["first_name", "last_name", "citizen_id"]
    # what was guessed is said: the manifest's entry and the reading lines `saphan run` and `inspect` print
    assert report.delimiter == delimiter and report.as_dict()["delimiter"] == delimiter
    words = {";": "semicolon", "|": "pipe", "\t": "tab", ",": "comma"}
    assert reading_lines(report.as_dict())[0] == f"    text: utf-8, {words[delimiter]}-separated"


def test_members_a_remark_says_died_or_left_are_named_in_a_warning_not_silently_counted(tmp_path):
    # A fund's remarks column (not a column saphan reads) says who died or left; a one-cell note line saying the
    # same is no member line, and a name that happens to hold one of the words is in a column that is read.
    text = ("ลำดับ,ชื่อ,นามสกุล,ที่อยู่,หมายเหตุ\n"
            "1,สมชาย,ใจดี,12 ม.3,เสียชีวิตแล้ว\n"
            "2,สมศรี,ตายทอง,5 ม.1,\n"
            "3,มานะ,ขยัน,6 ม.1,ลาออก 2566\n"
            "4,ปิติ,ยินดี,7 ม.1,จ่ายแล้ว\n"
            ",,,,สมาชิกที่เสียชีวิต 1 คน\n")
    (tmp_path / "fund.csv").write_text(text, encoding="utf-8")
    [report] = ingest_files(duckdb.connect(), "roster", [tmp_path / "fund.csv"], {})
    assert report.rows_read == 5
    assert [w for w in report.warnings if "member line" in w] == [
        "column 5 'หมายเหตุ' (not read): 2 member line(s) say เสียชีวิต, ลาออก; they are read as members"]
    (tmp_path / "fund.csv").write_text(text.replace("เสียชีวิตแล้ว", "").replace("ลาออก 2566", ""), encoding="utf-8")
    [quiet] = ingest_files(duckdb.connect(), "roster", [tmp_path / "fund.csv"], {})
    assert not [w for w in quiet.warnings if "member line" in w]
