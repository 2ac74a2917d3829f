"""Measure saphan's reading of the held-out corpus from what `saphan inspect` prints (no config).

Run from the repository root:  .venv/bin/python tests/corpus_heldout/measure.py [-v] [--links OUT]
Prints, per file, what differs from expected.json (column roles, header lines, fund, member lines accepted),
then the totals. Reads saphan's console output only, like a user: it imports nothing from saphan.
With `--links OUT` (the folder of a finished `saphan run --rosters files/rosters --poverty files/extracts`),
it also scores OUT/links.parquet against the person ids: pairs linked, precision, recall, F1.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FILE_LINE = re.compile(r"^(\S.*?)  \(read as (?:a|an) (.*)\)$")
SHEET_LINE = re.compile(r"^    (?:sheet '(.*)': )?(?:no header line|header lines? (\d+)(?:-(\d+))?)")
ROLE_LINE = re.compile(r"^\s+(\d+) .*? -> ([a-z_]+) \(")


def parse(text: str) -> dict[str, dict]:
    """{path relative to files/: {"fund", "fund_from", "sheets": {name: {"header_lines", "columns"}}, "accepted"}}"""
    out: dict[str, dict] = {}
    cur: dict | None = None
    sheet: dict | None = None
    for line in text.splitlines():
        if m := FILE_LINE.match(line):
            rel = str(Path(m.group(1)).resolve().relative_to(HERE / "files"))
            cur = out[rel] = {"fund": None, "fund_from": None, "sheets": {}, "accepted": None, "read_as": m.group(2)}
        elif cur is None:
            continue
        elif m := re.match(r"^    fund: (.*) \(from (\w+)\)$", line):
            cur["fund"], cur["fund_from"] = m.group(1), m.group(2)
        elif m := SHEET_LINE.match(line):
            lo = int(m.group(2)) if m.group(2) else None
            hi = int(m.group(3)) if m.group(3) else lo
            sheet = cur["sheets"][m.group(1) or ""] = {
                "header_lines": list(range(lo, hi + 1)) if lo else [], "columns": {}}
        elif sheet is not None and (m := ROLE_LINE.match(line)):
            sheet["columns"][m.group(1)] = m.group(2)
        elif m := re.match(r"^    rows: (\d+) accepted", line):
            cur["accepted"] = int(m.group(1))
    return out


def _row_people(exp: dict) -> dict[int, str]:
    """{row number as saphan's links count it: 1-based over the data lines after each sheet's header, sheets in
    order: person id} for one file's expectation."""
    out: dict[int, str] = {}
    offset = 0
    for s in exp["sheets"]:
        entries = [e for e in exp["accepted"] + exp["not_people"] if e["sheet"] == s["sheet"]]
        start = max(s["header_lines"], default=0)
        last = max(e["line"] for e in entries)
        for e in entries:
            if "person" in e and e["line"] > start:
                out[offset + e["line"] - start] = e["person"]
        offset += last - start
    return out


def score_links(expected: dict, links: Path) -> str:
    """Precision, recall and F1 of links.parquet's roster-to-extract pairs against the person ids."""
    import pyarrow.parquet as pq

    people = {Path(rel).name: _row_people(e) for rel, e in expected.items()}
    roster_people = {p for rel, e in expected.items() if e["dataset"] == "roster" for p in _row_people(e).values()}
    extract_people = {p for rel, e in expected.items() if e["dataset"] == "poverty" for p in _row_people(e).values()}
    truth = roster_people & extract_people
    found = tp = unmapped = 0
    for r in pq.read_table(links).to_pylist():
        if r["poverty_file"] is None:
            continue
        found += 1
        left = people.get(r["roster_file"], {}).get(r["roster_row"])
        right = people.get(r["poverty_file"], {}).get(r["poverty_row"])
        unmapped += left is None or right is None
        tp += left is not None and left == right
    p = tp / found if found else 0.0
    rec = tp / len(truth) if truth else 0.0
    f1 = 2 * p * rec / (p + rec) if p + rec else 0.0
    return (f"links: {found} made, {tp} right, {len(truth)} true pairs ({unmapped} on lines that are no person): "
            f"precision {p:.3f}, recall {rec:.3f}, F1 {f1:.3f}")


def main(verbose: bool) -> None:
    expected = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))["files"]
    proc = subprocess.run([str(ROOT / ".venv/bin/saphan"), "inspect", str(HERE / "files")], capture_output=True,
                          text=True, cwd=ROOT)
    got = parse(proc.stdout)
    roles_ok = headers_ok = funds_ok = accepted = expected_rows = 0
    n_cols = cols_ok = extra = 0
    for rel, exp in sorted(expected.items()):
        g = got.get(rel)
        expected_rows += len(exp["accepted"])
        if g is None:
            print(f"{rel}: not read")  # noqa: T201
            continue
        problems = []
        file_roles_ok = True
        for s in exp["sheets"]:
            gs = g["sheets"].get(s["sheet"], {"header_lines": None, "columns": {}})
            if gs["header_lines"] != s["header_lines"]:
                problems.append(f"sheet {s['sheet']!r} header lines {gs['header_lines']} "
                                f"(expected {s['header_lines']})")
            else:
                headers_ok += 1
            for col, role in s["columns"].items():
                n_cols += 1
                if gs["columns"].get(col) == role:
                    cols_ok += 1
                else:
                    file_roles_ok = False
                    problems.append(f"sheet {s['sheet']!r} column {col}: {gs['columns'].get(col)} (expected {role})")
        roles_ok += file_roles_ok
        if exp["dataset"] == "roster":
            if g["fund"] == exp["fund"] and g["fund_from"] == exp["fund_from"]:
                funds_ok += 1
            else:
                problems.append(f"fund {g['fund']!r} from {g['fund_from']} (expected {exp['fund']!r} from "
                                f"{exp['fund_from']})")
        acc = g["accepted"] or 0
        accepted += min(acc, len(exp["accepted"]))
        extra += max(0, acc - len(exp["accepted"]))
        if acc != len(exp["accepted"]):
            problems.append(f"accepted {acc} (expected {len(exp['accepted'])})")
        if problems and verbose:
            print(f"{rel}:\n  " + "\n  ".join(problems))  # noqa: T201
        elif problems:
            print(f"{rel}: {len(problems)} difference(s)")  # noqa: T201
    n_files = len(expected)
    n_sheets = sum(len(e["sheets"]) for e in expected.values())
    n_rosters = sum(e["dataset"] == "roster" for e in expected.values())
    print(f"files with every role right: {roles_ok}/{n_files}; columns right: {cols_ok}/{n_cols}; "  # noqa: T201
          f"header lines right: {headers_ok}/{n_sheets} sheets; funds right: {funds_ok}/{n_rosters}; "
          f"person lines accepted (capped per file): {accepted}/{expected_rows}; more lines accepted than "
          f"people: {extra}")


if __name__ == "__main__":
    if "--links" in sys.argv:
        exp = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))["files"]
        print(score_links(exp, Path(sys.argv[sys.argv.index("--links") + 1]) / "links.parquet"))  # noqa: T201
    else:
        main("-v" in sys.argv)
