"""Write the held-out corpus: tests/corpus_heldout/files/ and tests/corpus_heldout/expected.json.

Run from the repository root:  .venv/bin/python tests/corpus_heldout/write_corpus.py
Deterministic (one seed); written without importing saphan, so it shares none of saphan's assumptions.
"""

from __future__ import annotations

import json
import random
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _extracts  # noqa: E402
import _rosters_isan  # noqa: E402
import _rosters_other  # noqa: E402
from _people import Population  # noqa: E402

SEED = 20261201


def write(out: Path = HERE / "files") -> dict:
    """Writes every file under `out` and returns the expectations, keyed by path relative to `out`."""
    if out.exists():
        shutil.rmtree(out)
    pop = Population(SEED)
    rng = random.Random(SEED + 1)
    files: dict[str, dict] = {}
    for style in _rosters_isan.STYLES + _rosters_other.STYLES + _extracts.STYLES:
        files.update(style(out, pop, rng))
    return {"files": files}


def main() -> None:
    expected = write()
    text = json.dumps(expected, ensure_ascii=False, indent=1, default=str)
    (HERE / "expected.json").write_text(text + "\n", encoding="utf-8")
    n_r = sum(f["dataset"] == "roster" for f in expected["files"].values())
    n_p = len(expected["files"]) - n_r
    rows = sum(len(f["accepted"]) for f in expected["files"].values())
    print(f"{n_r} rosters, {n_p} extracts, {rows} person lines")  # noqa: T201


if __name__ == "__main__":
    main()
