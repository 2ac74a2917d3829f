"""`saphan sample`: write a synthetic sample (rosters, a TPMAP-style extract, the truth) to a folder.

The tables come from transforms/synth.py; this module only lays them out as files, the way they reach an
analyst: CSVs in UTF-8 with a BOM and in TIS-620/cp874 with Windows line ends, workbooks with title rows
above the header and IDs turned into numbers, a Parquet file. Same (households, seed) -> same bytes: no
clock values, xlsxwriter's creation date fixed, Parquet written with fixed options.
"""

import datetime as dt
import io
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from transforms import synth, synth_year2

YEAR2_DIR = "year2"
WORKBOOK_CREATED = dt.datetime(2024, 3, 15, 9, 0, 0)  # fixed: a clock value would change the bytes
EXTENSIONS = {"utf8bom": "csv", "cp874": "csv", "xlsx": "xlsx", "fullname": "csv", "english": "csv"}
POVERTY_CSV_HEADERS = {
    "house_code": "รหัสบ้าน", "house_no": "บ้านเลขที่", "village_no": "หมู่ที่", "village_name": "ชื่อหมู่บ้าน",
    "subdistrict_code": "รหัสตำบล", "subdistrict": "ตำบล", "district": "อำเภอ", "province": "จังหวัด",
    "citizen_id": "เลขประจำตัวประชาชน", "title": "คำนำหน้า", "first_name": "ชื่อ", "last_name": "นามสกุล",
    "sex": "เพศ", "birth_year": "ปีเกิด", "welfare_card": "บัตรสวัสดิการแห่งรัฐ", "survey_year": "ปีสำรวจ",
    "dim_health": "มิติสุขภาพ", "dim_living": "มิติความเป็นอยู่", "dim_education": "มิติการศึกษา",
    "dim_income": "มิติรายได้", "dim_access": "มิติการเข้าถึงบริการรัฐ",
}
POVERTY_FILES = (f"tpmap_extract_{synth.SURVEY_YEAR_BE}_part1.csv",
                 f"tpmap_extract_{synth.SURVEY_YEAR_BE}_part2.parquet")


def write_csv(table: pa.Table, path: Path, encoding: str = "utf-8", eol: str = "\n", bom: bool = False
              ) -> None:
    """A table as a CSV file the way a spreadsheet saves it: plain header line, cells unquoted when possible.

    UTF-8 streams straight to the file (the poverty CSV can hold millions of rows); other encodings are
    transcoded in memory, replacing characters the code page lacks (cp874 has no zero-width space: '?').
    """
    def options(quoting: str) -> pacsv.WriteOptions:
        return pacsv.WriteOptions(include_header=False, eol=eol, quoting_style=quoting)

    head = ",".join(table.column_names) + eol
    sink: Any = path.open("wb") if encoding == "utf-8" else io.BytesIO()
    with sink:
        sink.write((b"\xef\xbb\xbf" if bom else b"") + head.encode("utf-8"))
        start = sink.tell()
        try:
            pacsv.write_csv(table, sink, options("none"))
        except pa.ArrowInvalid:  # a cell with a comma or quote: quote text cells (pyarrow quotes them all)
            sink.seek(start)
            sink.truncate()
            pacsv.write_csv(table, sink, options("needed"))
        if encoding != "utf-8":
            path.write_bytes(sink.getvalue().decode("utf-8").encode(encoding, errors="replace"))


def _write_xlsx(path: Path, fund_name: str, table: pa.Table, id_number: list[bool], title_rows: int) -> None:
    """A volunteer's workbook: title row(s) above the header, dates as text, some IDs as numbers."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"in_memory": True})
    wb.set_properties({"created": WORKBOOK_CREATED, "author": "saphan sample"})
    ws = wb.add_worksheet("สมาชิก")
    ws.write_string(0, 0, "ทะเบียนสมาชิก" + fund_name)
    if title_rows > 1:
        ws.write_string(1, 0, f"ข้อมูล ณ วันที่ 15 มีนาคม {synth.SURVEY_YEAR_BE}")
    ws.write_row(title_rows, 0, table.column_names)
    id_col = next(i for i, h in enumerate(table.column_names) if h.startswith("เลขประจำตัว"))
    columns = [c.to_pylist() for c in table.columns]
    for r in range(table.num_rows):  # write_string per cell: write_row's type sniffing doubles the time
        row = title_rows + 1 + r
        for c, column in enumerate(columns):
            value = column[r]
            if value is None:
                continue
            if c == id_col and id_number[r]:
                ws.write_number(row, c, float(value))  # what Excel keeps when a 13-digit ID is typed
            else:
                ws.write_string(row, c, value)
    wb.close()


def _clear(out_dir: Path) -> None:
    """Remove files an earlier sample wrote here (only ours), so a smaller sample leaves no stale funds."""
    for pattern in ("rosters/fund_*", "poverty/tpmap_extract_*", "truth.csv", "README.md", *(
            f"{YEAR2_DIR}/{p}" for p in ("rosters/fund_*", "poverty/tpmap_extract_*", "transitions.csv",
                                         "README.md"))):
        for f in out_dir.glob(pattern):
            f.unlink()


def _write_poverty(extract: pa.Table, folder: Path, files: tuple[str, str] = POVERTY_FILES
                   ) -> tuple[list[dict[str, Any]], pa.Table]:
    """The extract split over a CSV (Thai headers) and a Parquet file (English headers, all text).

    Returns the files' summary and, per person, the file and 1-based data row they landed in.
    """
    part = extract["file_part"].to_numpy()
    canonical = [c for c in extract.column_names if c not in ("person_id", "file_part")]
    row = np.zeros(len(part), np.int64)
    summary = []
    for i, name in enumerate(files):
        mask = part == i
        row[mask] = np.arange(1, mask.sum() + 1)
        rows = extract.filter(pa.array(mask)).select(canonical)
        if name.endswith(".csv"):
            write_csv(rows.rename_columns([POVERTY_CSV_HEADERS[c] for c in canonical]), folder / name)
        else:
            pq.write_table(rows, folder / name, compression="zstd", compression_level=3, use_dictionary=True,
                           write_statistics=True, row_group_size=1 << 20)
        summary.append({"file": name, "rows": rows.num_rows})
    where = pa.table({"person_id": extract["person_id"],
                      "poverty_file": pa.array(files).take(pa.array(part)), "poverty_row": row})
    return summary, where


def _write_roster(path: Path, fund_name: str, fmt: str, table: pa.Table, title_rows: int) -> None:
    """One fund's file in its format; the `_` truth columns stay out of it."""
    cells = table.select([c for c in table.column_names if not c.startswith("_")])
    if fmt == "xlsx":
        _write_xlsx(path, fund_name, cells, table["_id_number"].to_pylist(), title_rows)
    elif fmt == "utf8bom":  # Excel's "CSV UTF-8": BOM and Windows line ends
        write_csv(cells, path, eol="\r\n", bom=True)
    elif fmt == "cp874":  # Excel's "CSV" on a Thai Windows machine
        write_csv(cells, path, encoding="cp874", eol="\r\n")
    else:
        write_csv(cells, path)


def _roster_name(table: pa.Table, fmt: str) -> str:
    return f"fund_{table['_subdistrict_code'][0].as_py()}_{fmt}.{EXTENSIONS[fmt]}"


def _write_year2(folder: Path, people: pa.Table, rosters: list[tuple[str, str, pa.Table]], extract_a: pa.Table,
                 seed: int) -> dict[str, Any]:
    """The next survey year beside the sample: year2/rosters, year2/poverty, year2/transitions.csv, README.md.

    Returns its summary, with the changes saphan compare should count (over people followed by a valid ID).
    """
    for sub in ("rosters", "poverty"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    extract_b = synth.make_poverty(synth_year2.next_year(people, seed), seed, survey_year=synth_year2.YEAR2_SURVEY_BE)
    year = synth_year2.YEAR2_SURVEY_BE
    poverty, _ = _write_poverty(extract_b, folder / "poverty",
                                (f"tpmap_extract_{year}_part1.csv", f"tpmap_extract_{year}_part2.parquet"))
    rosters_b, leavers, joiners = synth_year2.change_rosters(people, rosters, extract_a, extract_b, seed)
    for i, (fund_name, fmt, table) in enumerate(rosters_b):
        _write_roster(folder / "rosters" / _roster_name(table, fmt), fund_name, fmt, table, title_rows=2 - i // 5 % 2)
    moves = synth_year2.transitions(extract_a, extract_b, leavers, joiners)
    write_csv(moves, folder / "transitions.csv")
    a, b = moves["poor_a"].to_numpy(zero_copy_only=False), moves["poor_b"].to_numpy(zero_copy_only=False)
    change = moves["member_change"].to_numpy(zero_copy_only=False)
    expected = {"still_poor": int((a & b).sum()), "newly_poor": int((~a & b).sum()),
                "no_longer_poor": int((a & ~b).sum()), "newly_reached": int(((change == "joined") & b).sum()),
                "no_longer_member": int((change == "left").sum())}
    summary = {"survey_year": year, "poverty": poverty, "followed": moves.num_rows, "leavers": len(leavers),
               "joiners": len(joiners), "expected_change": expected,
               "rosters": [{"file": _roster_name(t, fmt), "rows": t.num_rows} for _, fmt, t in rosters_b]}
    (folder / "README.md").write_text(_year2_readme(summary), encoding="utf-8")
    return summary


def _year2_readme(summary: dict[str, Any]) -> str:
    e = summary["expected_change"]
    return f"""# The sample's next survey year ({summary['survey_year']})

Made by `saphan sample DIR --year2` beside the first year (flows/sample.py, transforms/synth_year2.py): the same
people a year on. Rates: {_wrapped(synth_year2.YEAR2_RATES)}. The same households are surveyed, with the same
typing differences; {summary['leavers']} members left their fund (their line removed) and {summary['joiners']} poor
people joined their subdistrict's fund (a clean line appended).

`transitions.csv`: one row per person whose citizen ID reads valid and the same in both extracts
({summary['followed']} people, the ones a person key follows): person_id, subdistrict_code, poor_a and poor_b (the
household's flags each year), member_change (joined, left or empty). What `saphan compare` should count: still
poor {e['still_poor']}, newly poor {e['newly_poor']}, no longer poor {e['no_longer_poor']}, newly reached by a
fund {e['newly_reached']}, no longer a member {e['no_longer_member']}.
"""


def write_sample(out_dir: Path, households: int, seed: int, year2: bool = False) -> dict[str, Any]:
    """Generate `households` households with `seed` and write rosters/, poverty/, truth.csv and README.md.

    `year2` also writes the next survey year with known transitions under year2/ (_write_year2); the first
    year's files are the same bytes either way. Returns a summary: counts of people, files with their rows, and
    the truth's expected outcomes (and `year2`'s).
    """
    out_dir = Path(out_dir)
    (out_dir / "rosters").mkdir(parents=True, exist_ok=True)
    (out_dir / "poverty").mkdir(parents=True, exist_ok=True)
    _clear(out_dir)
    people = synth.make_population(households, seed)
    n_people = people.num_rows
    extract = synth.make_poverty(people, seed)
    poverty_summary, where = _write_poverty(extract, out_dir / "poverty")
    rosters = synth.make_rosters(people, seed)
    year2_summary = _write_year2(out_dir / YEAR2_DIR, people, rosters, extract, seed) if year2 else None
    del people, extract  # a million households: free the population before the rosters are written

    truth_parts, roster_summary = [], []
    for i, (fund_name, fmt, table) in enumerate(rosters):
        name = _roster_name(table, fmt)
        _write_roster(out_dir / "rosters" / name, fund_name, fmt, table, title_rows=2 - i // 5 % 2)
        n = table.num_rows
        truth_parts.append(pa.table({
            "roster_file": pa.array([name] * n), "roster_row": pa.array(np.arange(1, n + 1)),
            "person_id": table["_person_id"], "expected": table["_expected"],
        }))
        roster_summary.append({"file": name, "format": fmt, "fund": fund_name, "rows": n})
    del rosters

    truth = pa.concat_tables(truth_parts)
    at = pc.index_in(truth["person_id"], value_set=where["person_id"])
    truth = pa.table({
        "roster_file": truth["roster_file"], "roster_row": truth["roster_row"],
        "person_id": truth["person_id"], "poverty_file": pc.take(where["poverty_file"], at),
        "poverty_row": pc.take(where["poverty_row"], at), "expected": truth["expected"],
    })
    write_csv(truth, out_dir / "truth.csv")
    expected = {str(v["values"]): int(v["counts"]) for v in pc.value_counts(truth["expected"]).to_pylist()}
    summary: dict[str, Any] = {
        "out_dir": str(out_dir), "households": households, "seed": seed, "people": n_people,
        "rosters": roster_summary, "poverty": poverty_summary,
        "truth": {"rows": truth.num_rows, "expected": dict(sorted(expected.items())),
                  "in_extract": truth.num_rows - truth["poverty_row"].null_count,
                  "not_in_extract": truth["poverty_row"].null_count - expected.get("blank_row", 0)},
    }
    (out_dir / "README.md").write_text(readme(summary), encoding="utf-8")
    if year2_summary is not None:
        summary["year2"] = year2_summary
    return summary


def _wrapped(items: dict[str, float], width: int = 108) -> str:
    """`name rate` pairs as comma-separated lines of at most `width` characters."""
    lines, line = [], ""
    for k, v in items.items():
        word = f"{k} {v:g}"
        if line and len(line) + len(word) + 2 > width:
            lines.append(line + ",")
            line = ""
        line = f"{line}, {word}" if line else word
    return "\n".join([*lines, line])


def readme(summary: dict[str, Any]) -> str:
    """The sample folder's README: what each file is, its columns and the differences planted in it."""
    files = "\n".join(f"- `rosters/{r['file']}` ({r['format']}, {r['rows']} data rows): {r['fund']}"
                      for r in summary["rosters"])
    pov = "\n".join(f"- `poverty/{p['file']}` ({p['rows']} rows)" for p in summary["poverty"])
    t = summary["truth"]
    outcomes = ", ".join(f"{k} {v}" for k, v in t["expected"].items())
    return f"""# Synthetic saphan sample

Made by `saphan sample DIR --households {summary['households']} --seed {summary['seed']}` (flows/sample.py,
transforms/synth.py); the same command gives the same bytes. Every person is invented: real Thai given and
family names (pythainlp corpora) in real subdistricts (geothai DOPA codes), valid citizen-ID check digits,
households of 1-6 sharing house code, address and surname. {summary['people']} people.

## Rosters (one community welfare fund per file)
{files}

- `utf8bom`: CSV in UTF-8 with a BOM, Windows line ends, Thai headers.
- `cp874`: CSV in TIS-620/Windows Thai (a zero-width space becomes `?`), Thai headers.
- `xlsx`: one or two title rows above the header, dates as text, some IDs as numbers.
- `fullname`: one ชื่อ-สกุล column (title glued, spaced or absent) and one free-text ที่อยู่ column.
- `english`: English headers, ISO (CE) dates.

Planted differences, as shares of roster rows (name kinds apply to first and last name separately; the ID
kinds exclude one another; maiden_surname is a share of married women, id_as_number of clean IDs in XLSX):
{_wrapped(synth.ROSTER_RATES)}.
Each file also has one blank row. Funds cover ~60% of subdistricts; members (adults twice as likely as
children) are drawn so that roster rows come to about 0.9 x households.

## Poverty extract (TPMAP-style, survey {synth.SURVEY_YEAR_BE})
{pov}

One row per person of a surveyed household: house code, address, citizen ID, title, names, sex, birth year
(BE), welfare card, survey year and five dimension flags (0/1). Districts alternate between the CSV (Thai
headers) and the Parquet file (English snake_case headers, all text). Planted differences:
{_wrapped(synth.POVERTY_RATES)}.

## truth.csv
One row per roster data row: roster_file, roster_row (1-based among data rows; title and header lines not
counted), person_id, poverty_file and poverty_row (empty when the person is not in the extract), expected
(`accept` or the quarantine reason). {t['rows']} rows: {outcomes}; {t['in_extract']} in the extract,
{t['not_in_extract']} not.
"""
