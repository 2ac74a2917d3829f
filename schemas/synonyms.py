"""Header synonyms: how people write column headers, mapped to saphan's canonical column names."""

import csv
import io
from functools import cache
from pathlib import Path


@cache
def load_header_synonyms() -> dict[str, str]:
    """Return {normalised synonym: canonical column} from header_synonyms.csv."""
    from transforms.headers import header_key  # the same key the matcher uses

    text = (Path(__file__).parent / "header_synonyms.csv").read_text(encoding="utf-8")
    return {header_key(row["synonym"]): row["canonical"] for row in csv.DictReader(io.StringIO(text))}
