"""The simplest peer (issue 17): pandas reads the files a user gives saphan, Splink links them with stock comparisons.

    python -m benchmarks.stock_peer --rosters DIR --poverty DIR --out DIR [--seed 1]

What an analyst would write who knows the files (the sample's, flows/sample.py) and nothing of Thai text:

- every file is read with pandas as text: CSV as UTF-8 (a BOM skipped), else cp874; XLSX through calamine, its
  header being the first line holding a known column name (title lines above it are skipped); Parquet as it is;
- headers are renamed by a fixed map of the sample's headers; a one-column name ("ชื่อ-สกุล") is split on
  spaces, its last two words taken as first and last name;
- the citizen ID keeps its digits 0-9 only, the birth year is the last four-digit number of the date (a year
  below 2400 is taken as CE and made BE), the area is the subdistrict's name as written: no Thai normalisation,
  no titles removed, no address parsing;
- Splink with stock comparisons links them (benchmarks.bench_linkage.stock_best_links, the same function the
  linkage benchmark runs on saphan's standardised columns) and the best link per roster row is written to
  OUT/links.parquet: roster_file, roster_row, poverty_file, poverty_row (rows counted as saphan counts them:
  1-based among a file's data lines, blank lines included, header and title lines not).

Prints one JSON line: the process's age when links were written, the seconds of reading and linking, row counts.
"""

import argparse
import json
import time
from pathlib import Path
from typing import Any

from flows.timing import process_age

# The sample's headers (flows/sample.py, transforms/synth.py) and the column each one is.
COLUMNS = {
    "ชื่อ": "first_name", "first_name": "first_name",
    "นามสกุล": "last_name", "last_name": "last_name",
    "ชื่อ-สกุล": "full_name",
    "เลขประจำตัวประชาชน": "cid", "เลขบัตรประชาชน": "cid", "เลขประจำตัวประชาชน 13 หลัก": "cid",
    "citizen_id": "cid",
    "วันเกิด": "birth", "วันเดือนปีเกิด": "birth", "วัน/เดือน/ปีเกิด": "birth", "birth_date": "birth",
    "ปีเกิด": "birth", "birth_year": "birth",
    "ตำบล": "area", "tambon": "area", "subdistrict": "area",
}
FIELDS = ("first_name", "last_name", "cid", "area", "birth_year_be")


def _csv(path: Path) -> Any:
    import pandas as pd

    try:
        return pd.read_csv(path, dtype=str, encoding="utf-8-sig", skip_blank_lines=False)
    except UnicodeDecodeError:
        return pd.read_csv(path, dtype=str, encoding="cp874", skip_blank_lines=False)


def _xlsx(path: Path) -> Any:
    import pandas as pd

    grid = pd.read_excel(path, engine="calamine", header=None, dtype=str)
    at = next(i for i, row in enumerate(grid.itertuples(index=False)) if any(str(v).strip() in COLUMNS for v in row))
    frame = grid.iloc[at + 1:].reset_index(drop=True)
    frame.columns = [str(v).strip() for v in grid.iloc[at]]
    return frame


def read_file(path: Path) -> Any:
    """One file as a frame of text cells, its columns renamed to FIELDS, with its file name and 1-based rows."""
    import pandas as pd

    suffix = path.suffix.lower()
    raw = (pd.read_parquet(path) if suffix == ".parquet" else _xlsx(path) if suffix == ".xlsx" else _csv(path))
    raw = raw.rename(columns={c: COLUMNS[c.strip()] for c in raw.columns if c.strip() in COLUMNS})
    raw = raw.loc[:, ~raw.columns.duplicated()]
    if "full_name" in raw.columns:
        words = raw["full_name"].str.split()
        raw["first_name"], raw["last_name"] = words.str[-2], words.str[-1]
    year = raw["birth"].str.extract(r"([0-9]{4})(?!.*[0-9]{4})", expand=False) if "birth" in raw else None
    year = pd.to_numeric(year, errors="coerce") if year is not None else pd.Series(pd.NA, index=raw.index)
    frame = pd.DataFrame({
        "source_file": path.name,
        "source_row": range(1, len(raw) + 1),
        "first_name": raw.get("first_name"),
        "last_name": raw.get("last_name"),
        "cid": raw["cid"].str.replace(r"[^0-9]", "", regex=True) if "cid" in raw else None,
        "area": raw.get("area"),
        "birth_year_be": year.where(year >= 2400, year + 543).astype("Int64"),
    })
    return frame


def read_all(paths: list[Path]) -> Any:
    import pandas as pd

    files = sorted(f for p in paths for f in ([p] if p.is_file() else p.rglob("*"))
                   if f.suffix.lower() in (".csv", ".xlsx", ".parquet"))
    frame = pd.concat([read_file(f) for f in files], ignore_index=True)
    frame = frame[frame["first_name"].notna() | frame["last_name"].notna() | frame["cid"].notna()]  # blank lines
    frame.insert(0, "record_id", range(len(frame)))
    return frame


def run(rosters: list[Path], poverty: list[Path], out: Path, seed: int = 1) -> dict[str, Any]:
    """Read, link and write OUT/links.parquet; return seconds per part and row counts."""
    import duckdb

    from benchmarks.bench_linkage import stock_best_links

    t = time.perf_counter()
    roster, extract = read_all(rosters), read_all(poverty)
    read_s = time.perf_counter() - t
    out.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    with duckdb.connect() as con:
        for name, frame in (("roster", roster), ("poverty", extract)):
            con.register(f"{name}_in", frame)
            con.execute(f"create table stock_{name} as select * from {name}_in")
        stock_best_links(con, seed)
        link_s, t = time.perf_counter() - t, time.perf_counter()
        con.execute(f"""
copy (
    select r.source_file as roster_file, r.source_row as roster_row,
        p.source_file as poverty_file, p.source_row as poverty_row
    from stock_best b join stock_roster r on r.record_id = b.roster_id
        join stock_poverty p on p.record_id = b.poverty_id
    order by roster_file, roster_row
) to '{out / "links.parquet"}' (format parquet)
""")
    return {"read_seconds": round(read_s, 2), "link_seconds": round(link_s, 2),
            "write_seconds": round(time.perf_counter() - t, 2), "roster_rows": len(roster),
            "poverty_rows": len(extract)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rosters", nargs="+", type=Path, required=True)
    parser.add_argument("--poverty", nargs="+", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    import logging

    logging.disable(logging.WARNING)
    started = process_age()
    result = run(args.rosters, args.poverty, args.out, args.seed)
    print(json.dumps({"process_seconds": round(process_age(), 2), "started_seconds": round(started, 2), **result}))


if __name__ == "__main__":
    main()
