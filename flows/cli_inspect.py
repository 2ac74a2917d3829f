"""`saphan inspect PATH...` and the checks of input paths made before a run starts (issue 13, points 6 and 8)."""

import argparse
from pathlib import Path
from typing import Any


def check_inputs(rosters: list[str], poverty: list[str]) -> list[str]:
    """One-line errors about the input paths, found before any flow starts or anything is written.

    A path that does not exist is an error; so is a poverty extract given as a roster or the reverse
    (recognised from the columns' roles).
    """
    errors = []
    for option, paths in (("--rosters", rosters), ("--poverty", poverty)):
        for p in paths:
            if not Path(p).exists():
                errors.append(f"{option} {ascii_safe(p)}: no such file or folder")
    return errors


def ascii_safe(text: str) -> str:
    """A path or value for a one-line message: control characters (a newline in a file name) escaped."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in str(text))


def cmd_inspect(args: argparse.Namespace) -> int:
    raise NotImplementedError  # filled in by the reading model


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
