"""A key of the code that makes the benchmarks' cached inputs, so a cache made by older code is never reused."""

import hashlib
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What writes and standardises the cached samples and warehouses: any change here makes new caches.
_SOURCES = ("transforms/*.py", "schemas/*.py", "schemas/*.csv", "flows/ingest.py", "flows/readers.py",
            "flows/standardise.py", "flows/sample.py", "flows/warehouse.py")


@cache
def code_key() -> str:
    """Ten hex characters of sha1 over the sources above, in a fixed order. Example: ``code_key()`` -> '3fa1c09b2e'."""
    h = hashlib.sha1()
    for pattern in _SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            h.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:10]
