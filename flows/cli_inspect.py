"""`saphan inspect PATH...` and the checks of input paths made before a run starts (issue 13, points 6 and 8)."""

import argparse
import sys
from pathlib import Path
from typing import Any


def ascii_safe(text: str) -> str:
    """A path or value for a one-line message: control characters (a newline in a file name) escaped."""
    from flows.readers import printable

    return printable(text)


def check_inputs(rosters: list[str], poverty: list[str], config: dict[str, Any] | None = None,
                 cache: Path | None = None) -> list[str]:
    """One-line errors about the input paths, found before any flow starts or anything is written.

    A path that does not exist is an error; so is a poverty extract given as a roster or the reverse, recognised
    from its columns' roles (only the first lines of each file are read for this; or none, when the per-file ingest
    cache `cache` (flows/ingest_cache.py) holds an earlier run's reading of the same bytes).
    """
    from flows.ingest import find_input_files
    from flows.readers import printable

    errors = []
    for option, paths in (("--rosters", rosters), ("--poverty", poverty)):
        for p in paths:
            if not Path(p).exists():
                errors.append(f"{option} {printable(p)}: no such file or folder")
    if errors:
        return errors
    if cache is not None and not cache.is_dir():
        cache = None  # no earlier run into this --out: no reading to find, no file to hash for it
    given_files = [(option, given, other, find_input_files(paths)[0])
                   for option, given, other, paths in (("--rosters", "roster", "poverty", rosters),
                                                       ("--poverty", "poverty", "roster", poverty))]
    guesses = _guesses([f for *_, files in given_files for f in files], config or {}, cache)
    for option, given, other, files in given_files:
        own, guesses = guesses[:len(files)], guesses[len(files):]
        looks_other = [f for f, guess in zip(files, own, strict=True) if guess == other]
        if files and len(looks_other) == len(files):
            errors.append(f"{option}: every file given looks like a {_WORDS[other]}, not a {_WORDS[given]} "
                          f"(e.g. {printable(looks_other[0].name)}); were --rosters and --poverty swapped?")
        elif looks_other:
            errors.append(f"{option} {printable(str(looks_other[0]))}: looks like a {_WORDS[other]} (its columns), "
                          f"not a {_WORDS[given]}")
    return errors


_WORDS = {"roster": "fund roster", "poverty": "poverty extract"}


def _guesses(files: list[Path], config: dict[str, Any], cache: Path | None) -> list[str | None]:
    """guess_file_dataset of each file, in order; shared among forked processes when there are enough files
    (flows/ingest_parallel.forks), as the ingest reads them.

    Judging the sampled values is most of a first look (column_evidence: names split, dates and IDs read), and
    the ingest judges the same first values again: each worker sends back what it judged with its answers and
    the memos here keep it, so the ingest's workers, forked later, inherit it as when the check ran here alone.
    The first file is looked at here first: it loads what judging loads lazily (name lists, the gazetteer),
    which the workers then inherit instead of each loading it.
    """
    import os

    from flows.ingest_parallel import forks, read_workers, shares
    from flows.warehouse import heap_frozen, in_forks
    from transforms import column_evidence

    workers = read_workers(config)
    if not forks(len(files), workers):
        return [guess_file_dataset(f, config, cache) for f in files]
    out: list[str | None] = [guess_file_dataset(files[0], config, cache)] + [None] * (len(files) - 1)
    parent = os.getpid()

    def share_guesses(share: list[int]) -> tuple[list[tuple[int, str | None]], column_evidence.Judged]:
        mark = column_evidence.memo_mark()
        guessed = [(i, guess_file_dataset(files[i], config, cache)) for i in share]
        return guessed, column_evidence.judged_since(mark) if os.getpid() != parent else ([], [])

    rest = {i: files[i] for i in range(1, len(files))}
    with heap_frozen():  # a worker's collections leave the inherited heap alone (untouched pages stay shared)
        parts = in_forks(share_guesses, shares(rest, min(workers, len(rest)), _peek_cost))
    for guessed, judged in parts:
        column_evidence.remember_judged(judged)
        for i, guess in guessed:
            out[i] = guess
    return out


def _peek_cost(path: Path) -> float:
    """About what a first look at a file costs, for sharing them out: a workbook is parsed whole (by its size);
    a text file's first ~80 KB and a Parquet file's first rows are read, whatever its size."""
    from flows.ingest_parallel import file_cost

    return file_cost(path) if path.suffix.lower() in {".xlsx", ".xls", ".ods", ".xlsm"} else 80_000.0


def guess_file_dataset(path: Path, config: dict[str, Any], cache: Path | None = None) -> str | None:
    """'roster' or 'poverty' from how the file's columns read, or None when it cannot be told or read.

    ``cache``: the per-file ingest cache; a file an earlier run read is told by that reading, not read again."""
    from flows.ingest import FileReport, read_file_rows, source_config
    from transforms.reading import guess_dataset

    source = source_config(config, path.name)
    if source.get("dataset"):
        return str(source["dataset"])
    if cache is not None and (reading := _cached_reading(cache, path, source)) is not None:
        return guess_dataset({str(c["role"]) for sheet in reading for c in sheet["columns"]})
    report = FileReport(path=str(path), name=path.name, dataset="roster")
    try:
        read_file_rows(path, None, report, source, peek=True)
    except Exception:  # noqa: BLE001 - an unreadable file is named by the run itself, with its reason
        return None
    return guess_dataset({str(c["role"]) for sheet in report.reading for c in sheet["columns"]})  # type: ignore[attr-defined]


def _cached_reading(cache: Path, path: Path, source: dict[str, Any]) -> list[dict[str, Any]] | None:
    from flows.ingest_cache import IngestCache
    from flows.readers import sha256_file

    try:
        sha = sha256_file(path)
    except OSError:
        return None
    return next((r for d in ("roster", "poverty") if (r := IngestCache(cache, d).reading(sha, source)) is not None),
                None)


def reading_lines(entry: dict[str, Any]) -> list[str]:
    """How one file was read, a line per sheet and column, as `saphan run` and `saphan inspect` print it."""
    from flows.readers import CSV_DELIMITER_NAMES, printable

    lines = []
    if entry.get("delimiter"):  # a text file: both guessed from its bytes, so both said
        separated = CSV_DELIMITER_NAMES.get(str(entry["delimiter"]), "other")
        lines.append(f"    text: {entry.get('encoding')}, {separated}-separated")
    if entry.get("fund"):
        lines.append(f"    fund: {entry['fund']} (from {entry['fund_from']})")
    for sheet in entry.get("reading", []):
        where = f"sheet '{printable(sheet['sheet'])}': " if sheet["sheet"] else ""
        header = sheet["header_lines"]
        at = "no header line (Parquet column names)" if not header else (
            f"header line {header[0]}" if len(header) == 1 else f"header lines {header[0]}-{header[-1]}")
        extra = f", {sheet['title_lines']} title line(s) above" if sheet.get("title_lines") else ""
        lines.append(f"    {where}{at}{extra}; {sheet['data_lines']} data lines")
        for c in sheet["columns"]:
            header_text = printable(c["header"]) if c["header"] else "(blank)"
            lines.append(f"      {c['column']:>2} {header_text} -> {c['role']} ({c['evidence']})")
        if sheet.get("non_member_lines"):
            kinds = ", ".join(f"{k} {n}" for k, n in sorted(sheet["non_member_lines"].items()))
            lines.append(f"      lines that are no person: {kinds}")
    for w in entry.get("warnings", []):
        lines.append(f"    warning: {printable(w)}")
    return lines


def masked_id(cid: str | None) -> str:
    """A citizen ID as inspect shows it: 1-2345-xxxxx-xx-1 (the office digits and check digit only)."""
    if not cid or len(cid) != 13:
        return "-" if not cid else "x" * len(cid)
    return f"{cid[0]}-{cid[1:5]}-xxxxx-xx-{cid[12]}"


def short_name(first: str | None, last: str | None) -> str:
    """A name as inspect shows it: the first name's first two letters and the surname's initial."""
    return " ".join(p for p in ((first or "")[:2] + ("…" if first and len(first) > 2 else ""),
                                (last or "")[:1] + ("." if last else "")) if p) or "-"


def _inspect_file(path: Path, dataset: str, config: dict[str, Any], as_of_year_be: int) -> list[str]:
    import duckdb

    from flows.ingest import ingest_files
    from flows.readers import printable
    from flows.standardise import standardise
    from schemas.contracts import QUARANTINE

    con = duckdb.connect()
    con.execute("create table quarantine (" + ", ".join(f'"{c.name}" {c.type}' for c in QUARANTINE.columns) + ")")
    [report] = ingest_files(con, dataset, [path], config, as_of_year_be)
    out = [f"{printable(str(path))}  (read as a {_WORDS[dataset]})"]
    if report.status != "ingested":
        return out + [f"    rejected: {report.reason}"]
    entry = report.as_dict()
    out += reading_lines(entry)
    standardise(con, dataset, {**config, "warehouse": {**(config.get("warehouse") or {}), "workers": 1}})
    rows = con.execute(
        f"""select source_sheet, source_line, title, first_name, last_name, cid, birth_year_be, birth_year_min,
               birth_year_max, birth_date_status, subdistrict_code, address_status
        from stg_{dataset} where reject_reason is null order by source_row limit 5""").fetchall()
    out.append("    sample rows (standardised; IDs masked, names shortened):")
    for sheet, line, title, first, last, cid, year, low, high, date_status, sub, status in rows:
        born = str(year) if year else f"{low}-{high} (from age)" if low else f"- ({date_status})"
        where = f"{printable(sheet)}:{line}" if sheet else f"line {line}"
        out.append(f"      {where}: {title or '-'} {short_name(first, last)} | ID {masked_id(cid)} | born {born} | "
                   f"area {sub or '-'} ({status})")
    counts = con.execute(f"select coalesce(reject_reason, 'accepted'), count(*) from stg_{dataset} "
                         "group by all order by all").fetchall()
    flags = con.execute(f"""select 'birth date ' || birth_date_status, count(*) from stg_{dataset}
        where reject_reason is null and birth_date_status in ('impossible', 'unparsed', 'implausible')
        group by all union all select 'ID ' || cid_status, count(*) from stg_{dataset}
        where reject_reason is null and cid_status in ('bad_check_digit', 'wrong_length', 'unusable')
        group by all order by all""").fetchall()
    accepted = sum(n for r, n in counts if r == "accepted")
    quarantined = ", ".join(f"{r} {n}" for r, n in counts if r != "accepted") or "none"
    out.append(f"    rows: {accepted} accepted; quarantined: {quarantined}")
    if flags:
        out.append("    cells not read (the person is kept): " + ", ".join(f"{k} {n}" for k, n in flags))
    return out


def cmd_inspect(args: argparse.Namespace) -> int:
    import datetime as dt

    from flows.config import ConfigError, load_config
    from flows.ingest import find_input_files
    from flows.readers import printable

    try:
        config = load_config(args.config)
    except ConfigError as e:
        print(f"saphan: error: {e}", file=sys.stderr)
        return 2
    files, missing = find_input_files(args.paths)
    for p, why in missing:
        print(f"saphan: error: {printable(p)}: {why}", file=sys.stderr)
    as_of = dt.date.today().year + 543
    for path in files:
        dataset = args.dataset if args.dataset != "auto" else guess_file_dataset(path, config) or "roster"
        print("\n".join(_inspect_file(path, dataset, config, as_of)))
    return 1 if missing or not files else 0


def register(sub: Any) -> None:
    p = sub.add_parser(
        "inspect", help="show how files would be read (header rows, column roles, sample rows), without a run",
        description="Show, for each file and sheet, the header rows chosen, each column's role and the evidence, "
        "five standardised sample rows (IDs masked, names shortened), the rows that would be accepted or "
        "quarantined by reason, and warnings. No flow runs and nothing is written.\n\n"
        "example: saphan inspect data/sample/rosters/fund_310417_xlsx.xlsx",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="roster or poverty files or folders")
    p.add_argument("--config", metavar="FILE", help="TOML config ([[sources]] mappings are applied)")
    p.add_argument("--dataset", choices=("roster", "poverty", "auto"), default="auto",
                   help="read as a roster or a poverty extract (default: decided from the columns)")
    p.set_defaults(func=cmd_inspect)
