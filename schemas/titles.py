"""Thai titles and ranks (คำนำหน้าชื่อ) as data: every written variant with its canonical form, sex and kind."""

import csv
import io
from functools import cache
from importlib.resources import files
from typing import NamedTuple

KINDS = ("civil", "child", "military", "police", "academic", "monastic", "royal", "noble")


class Title(NamedTuple):
    canonical: str
    variant: str
    sex: str | None  # 'M' / 'F' when the title implies it, else None
    kind: str


@cache
def load_titles() -> tuple[Title, ...]:
    """Every row of titles.csv, in file order (read once per process)."""
    text = files("schemas").joinpath("titles.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return tuple(Title(r["canonical"], r["variant"], r["sex"] or None, r["kind"]) for r in rows)
