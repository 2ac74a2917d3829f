"""Per-distinct lookups kept across runs: values an earlier run transformed are read back, not computed again.

A lookup's rows (flows/warehouse.apply_distinct) are a function of its inputs, the code that computes them and a
few settings. The state folder keeps them, as the lkp_* tables hold them (in_* inputs and outputs, nothing more)::

    <state>/cache/lookups/<code_version>/<lookup table>-<params>.parquet

- ``code_version``: a digest of the source files that decide lookup outputs (transforms/*.py, schemas/*.py and
  *.csv, flows/standardise.py, flows/warehouse.py, this file) as installed, and the versions of Python, pythainlp,
  geothai and DuckDB. Only the current version's folder is kept: a changed saphan starts from an empty cache.
- ``params``: settings the function reads beside its inputs (the config's default province and district, for
  addresses), digested into the file name; a lookup keeps only its current params' file.

Per lookup the distinct inputs are joined in DuckDB with the cached file (``is not distinct from``: a null input
finds its cached row); Python runs only on the misses; the lookup table is hits and misses in the order of a cold
run, so it is the same table. The file is then rewritten (tmp + os.replace) with this run's rows and, while they
are no more than this run's, rows of earlier runs not seen this time; beyond that those are dropped, so the file
stays within twice the largest lookup. The folders are the owner's only (0700, files 0600), like the run history:
the cache holds the names and addresses the inputs held.
"""

import functools
import hashlib
import importlib
import importlib.metadata
import json
import os
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

from flows.warehouse import distinct_inputs, fill_lookup, heap_frozen, null_safe_on

__all__ = ["LOOKUP_PACKAGES", "LOOKUP_SOURCES", "apply_cached", "code_version", "lookup_file", "lookup_folder",
           "private_dir"]

# (package, file pattern in it): the code a lookup's output depends on.
LOOKUP_SOURCES = (("transforms", "*.py"), ("schemas", "*.py"), ("schemas", "*.csv"), ("flows", "standardise.py"),
                  ("flows", "warehouse.py"), ("flows", "lookup_cache.py"))
LOOKUP_PACKAGES = ("pythainlp", "geothai", "duckdb")


@functools.cache
def code_version(sources: tuple[tuple[str, str], ...] = LOOKUP_SOURCES,
                 packages: tuple[str, ...] = LOOKUP_PACKAGES) -> str:
    """A digest of the installed source files and library versions (computed once per process).

    Files are found where the packages are imported from (an editable checkout or a wheel's site-packages), in
    sorted order, each hashed with its package-relative name.
    """
    digest = hashlib.sha256(f"python {sys.version_info.major}.{sys.version_info.minor}\n".encode())
    for package in packages:
        digest.update(f"{package} {importlib.metadata.version(package)}\n".encode())
    for package, pattern in sources:
        module = importlib.import_module(package)
        folder = Path(module.__file__ or "").parent
        for path in sorted(folder.glob(pattern)):
            digest.update(f"{package}/{path.name}\n".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:20]


def private_dir(path: Path, top: Path) -> Path:
    """Make ``path`` and each folder from ``top`` down to it, every one the owner's only (0700)."""
    path, top = Path(path), Path(top)
    for folder in [top, *reversed([p for p in path.parents if p.is_relative_to(top) and p != top])]:
        folder.mkdir(exist_ok=True)
        os.chmod(folder, 0o700)
    if path != top:
        path.mkdir(exist_ok=True)
        os.chmod(path, 0o700)
    return path


def lookup_folder(cache_dir: Path, version: str | None = None) -> Path:
    """``<cache_dir>/lookups/<code_version>``, made private; other versions' folders are removed."""
    version = version or code_version()
    root = Path(cache_dir) / "lookups"
    private_dir(root, Path(cache_dir).parent)  # from the state folder down
    for other in sorted(root.iterdir()):
        if other.name != version:
            shutil.rmtree(other, ignore_errors=True) if other.is_dir() else other.unlink(missing_ok=True)
    return private_dir(root / version, root)


def lookup_file(folder: Path, table: str, params: Mapping[str, Any] | None = None) -> Path:
    """The cache file of one lookup table under these params (none: ``<table>.parquet``).

    Examples:
        >>> lookup_file(Path("c"), "lkp_roster_name_part").name
        'lkp_roster_name_part.parquet'
        >>> lookup_file(Path("c"), "lkp_roster_address", {"default_province": None}).name
        'lkp_roster_address-de9a772e3a2106e8.parquet'
    """
    if not params:
        return Path(folder) / f"{table}.parquet"
    text = json.dumps(dict(params), sort_keys=True, ensure_ascii=False)
    return Path(folder) / f"{table}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}.parquet"


def _usable(con: duckdb.DuckDBPyConnection, path: Path, expected: list[tuple[str, str]]) -> bool:
    """The file is there and has exactly the lookup's columns and types (anything else is ignored, then replaced)."""
    if not path.is_file():
        return False
    try:
        found = [(r[0], r[1]) for r in con.execute("describe select * from read_parquet(?)", [str(path)]).fetchall()]
    except duckdb.Error:  # unreadable: not trusted, rewritten below
        return False
    return found == expected


def apply_cached(
    con: duckdb.DuckDBPyConnection,
    source_sql: str,
    inputs: Sequence[str],
    func: Callable[..., dict[str, Any]],
    outputs: Sequence[tuple[str, str]],
    lookup_table: str,
    cache_file: Path,
    workers: int = 1,
    known: Sequence[str] = (),
) -> tuple[int, int]:
    """apply_distinct, with the values ``cache_file`` holds read from it instead of computed.

    ``known``: further relations read after the file, as apply_distinct's (the other dataset's lookup).

    Returns:
        (distinct inputs, of which found in the cache).
    """
    with heap_frozen():
        distinct = distinct_inputs(con, source_sql, inputs)
        n = distinct.num_rows
        con.register("_lc_distinct", distinct)
        try:
            types = con.execute("describe _lc_distinct").fetchall()
        finally:
            con.unregister("_lc_distinct")
        expected = [(f"in_{r[0]}", r[1]) for r in types] + [(name, type_) for name, type_ in outputs]
        cached = _usable(con, cache_file, expected)
        file = [f"read_parquet('{_sql_text(cache_file)}')"] if cached else []
        found = fill_lookup(con, distinct, inputs, func, outputs, lookup_table, workers, [*file, *known])
        hits = found[0] if cached else 0
        _rewrite(con, cache_file, lookup_table, inputs, cached, n, hits)
        return n, hits


def _sql_text(path: Path) -> str:
    return str(path).replace("'", "''")


def _rewrite(con: duckdb.DuckDBPyConnection, cache_file: Path, lookup_table: str, inputs: Sequence[str],
             cached: bool, n: int, hits: int) -> None:
    """Write this run's lookup rows, and earlier rows not seen now while they are no more than these, to the file;
    nothing is written when the file already holds exactly what it would (every value found, few stale)."""
    kept = con.execute("select count(*) from read_parquet(?)", [str(cache_file)]).fetchall()[0][0] if cached else 0
    stale = kept - hits
    if cached and hits == n and stale <= n:
        return
    old, params = "", []
    if cached and 0 < stale <= n:  # the earlier runs' values not seen now, kept for a run that has them again
        old = (f"union all select c.* from read_parquet(?) c "
               f"anti join {lookup_table} t on {null_safe_on(inputs, 'c', 't')}")
        params = [str(cache_file)]
    for other in cache_file.parent.glob(f"{lookup_table}-*.parquet"):  # the lookup's other params: replaced
        if other != cache_file:
            other.unlink(missing_ok=True)
    tmp = cache_file.with_name(f".{cache_file.name}.{os.getpid()}.tmp")
    try:
        con.execute(f"copy (select * from {lookup_table} {old}) to ? (format parquet)", [*params, str(tmp)])
        os.chmod(tmp, 0o600)
        os.replace(tmp, cache_file)
    finally:
        tmp.unlink(missing_ok=True)

