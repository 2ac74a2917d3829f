"""The per-file ingest cache: the rows a file produced, kept by its content, its reading config and the code.

Parsing is the expensive part of ingest (an XLSX workbook above all); a file whose bytes have not changed since an
earlier run into the same ``--out`` is loaded from Parquet instead. Layout, in the state folder (owner-only: it
holds raw rows, as ``inputs/`` holds raw files)::

    <state>/cache/ingest/<dataset>/<key>.arrow     the canonical raw columns read_file_rows returned, in order
                                                   (an Arrow IPC file, LZ4-compressed)
    <state>/cache/ingest/<dataset>/<key>.json      what the reading put in the file's report (sheets, columns,
                                                   reading, warnings, title lines), written last

The rows are kept as an Arrow IPC file, not Parquet: a cold run writes one per input file, and at 400,000
households (506 rosters and the extract) zstd Parquet took ~4 s CPU to write and ~3 s to load again against ~1.5 s
and ~1.2 s for LZ4 IPC (the tables are the same, schema metadata too); the price is disk, ~180 MB instead of
~36 MB in the owner-only state folder, which keeps a copy of the inputs anyway.

``key`` = sha256 of the file's sha256, the dataset, the file's own reading config (its [[sources]] entry: columns,
header_rows, sheet, fund, date_order, dataset) and the readers' code version (:func:`reader_code_version`). What
ingest derives afterwards (display name, fund, year, area, lineage columns) is computed again each run, as cold,
so a cached file comes out with the same rows, the same order and the same ``source_row`` as a cold read.

Entries a run did not use are removed when its dataset is ingested, so the folder holds one version per file.
"""

import ast
import functools
import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

__all__ = ["IngestCache", "library_versions", "module_closure", "reader_code_version"]

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PACKAGES = ("flows", "transforms", "schemas")
# What read_file_rows fills in a FileReport; the rest is derived after reading (flows/ingest.py ingest_files).
READING_FIELDS = ("encoding", "delimiter", "sheets", "columns", "unmapped_headers", "reading", "warnings", "title_text",
                  "sheet_names")
# Libraries whose versions can change how a file reads (cells, corpora the column evidence looks names up in).
READER_PACKAGES = ("pyarrow", "numpy", "python-calamine", "fastexcel", "pythainlp", "geothai")
# Modules that only decide where a file is read (which process), never how: not part of the reader code version.
NOT_READING = ("flows.ingest_parallel",)


def _module_file(name: str) -> Path | None:
    base = ROOT / name.replace(".", "/")
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _project_imports(path: Path) -> set[str]:
    """Project modules a source file imports, anywhere in it (a function's lazy import counts too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        else:
            continue
        found |= {n for n in names if n.split(".")[0] in PROJECT_PACKAGES}
    return found


def module_closure(start: str, skip: tuple[str, ...] = ()) -> list[Path]:
    """The source files of `start` and every project module it imports, directly or not, sorted; the modules
    in ``skip`` (and what only they import) left out.

    Examples:
        >>> [p.name for p in module_closure("flows.readers")]
        ['__init__.py', 'readers.py']
    """
    seen: dict[str, Path] = {}
    todo = [start]
    while todo:
        name = todo.pop()
        path = _module_file(name) if name not in seen and name not in skip else None
        if path is None:
            continue
        seen[name] = path
        todo += sorted(_project_imports(path))
    return sorted(set(seen.values()))


def library_versions(packages: tuple[str, ...]) -> dict[str, str]:
    """Each package's installed version, or "not installed" (the manifest's versions and the cache keys)."""
    from importlib import metadata

    out = {}
    for name in packages:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


@functools.cache
def reader_code_version() -> str:
    """sha256 of the code that decides how a file reads: flows/ingest.py and every project module it imports
    (readers, transforms/reading*, headers, column_evidence, …), the schemas' data files (header synonyms,
    titles) and the versions of the libraries in READER_PACKAGES. Computed once per process."""
    h = hashlib.sha256()
    files = module_closure("flows.ingest", NOT_READING) + sorted(
        p for p in (ROOT / "schemas").iterdir() if p.suffix in (".csv", ".json"))
    for path in files:
        h.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    h.update(json.dumps(library_versions(READER_PACKAGES), sort_keys=True).encode())
    return h.hexdigest()


def _private_write(target: Path, write: Any) -> None:
    """Write through a temporary file renamed into place, owner-only (the state folder's rule)."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


_ROWS = ".arrow"


def _write_rows(table: pa.Table, path: Path) -> None:
    options = pa.ipc.IpcWriteOptions(compression="lz4")
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema, options=options) as writer:
        writer.write_table(table)


class IngestCache:
    """The cache of one dataset's files under ``folder`` (``<state>/cache/ingest``).

    Examples:
        ``cache = IngestCache(state / "cache" / "ingest", "roster")``; in the ingest loop,
        ``table = cache.load(sha, source, report)`` (None: read the file, then ``cache.save(sha, source, report,
        table)``); at the end ``cache.prune()`` removes the entries this run did not use.
    """

    def __init__(self, folder: Path, dataset: str) -> None:
        self.root = Path(folder)
        self.folder = self.root / dataset
        self.dataset = dataset
        self.used: set[str] = set()
        self.hits = self.misses = 0

    def key(self, sha256: str, source: Mapping[str, Any]) -> str:
        text = json.dumps({"sha256": sha256, "dataset": self.dataset, "source": source,
                           "code": reader_code_version()}, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def load(self, sha256: str, source: Mapping[str, Any], report: Any) -> pa.Table | None:
        """The file's raw rows from the cache, its report's reading fields filled; None when not cached."""
        key = self.key(sha256, source)
        self.used.add(key)
        meta, rows = self.folder / f"{key}.json", self.folder / f"{key}{_ROWS}"
        try:
            entry = json.loads(meta.read_text(encoding="utf-8"))
            with pa.OSFile(str(rows), "rb") as file:
                table = pa.ipc.open_file(file).read_all()
        except (OSError, ValueError, pa.ArrowException):
            self.misses += 1
            return None
        if table.num_rows != entry.get("rows") or set(entry.get("report", {})) != set(READING_FIELDS):
            self.misses += 1
            return None
        for name in READING_FIELDS:
            setattr(report, name, entry["report"][name])
        self.hits += 1
        return table

    def has(self, sha256: str, source: Mapping[str, Any]) -> bool:
        """Whether an entry for these bytes is there to load (not counted, not marked used)."""
        key = self.key(sha256, source)
        return (self.folder / f"{key}.json").is_file() and (self.folder / f"{key}{_ROWS}").is_file()

    def read_elsewhere(self, sha256: str, source: Mapping[str, Any]) -> None:
        """A file not in the cache was read (and saved) by a worker process: counted and kept as load counts a
        miss, so hits + misses stay one per file however the files were shared out."""
        self.used.add(self.key(sha256, source))
        self.misses += 1

    def reading(self, sha256: str, source: Mapping[str, Any]) -> list[dict[str, Any]] | None:
        """How an earlier run read these bytes (the report's ``reading``: each column's role), without loading the
        rows or marking the entry used; None when not cached."""
        try:
            entry = json.loads((self.folder / f"{self.key(sha256, source)}.json").read_text(encoding="utf-8"))
            return list(entry["report"]["reading"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, sha256: str, source: Mapping[str, Any], report: Any, table: pa.Table) -> None:
        """Keep a file's rows and reading; the JSON (written last) is what makes an entry whole."""
        key = self.key(sha256, source)
        self.used.add(key)
        self.folder.mkdir(parents=True, exist_ok=True)
        for folder in (self.root.parent, self.root, self.folder):  # <state>/cache, …/ingest, …/<dataset>
            os.chmod(folder, 0o700)
        entry = {"rows": table.num_rows, "report": {name: getattr(report, name) for name in READING_FIELDS}}
        text = json.dumps(entry, ensure_ascii=False)
        _private_write(self.folder / f"{key}{_ROWS}", lambda tmp: _write_rows(table, tmp))
        _private_write(self.folder / f"{key}.json", lambda tmp: tmp.write_text(text, encoding="utf-8"))

    def prune(self) -> list[str]:
        """Remove the entries this run did not use (an older version of a file, a file no longer given) and what
        a killed run left half-written."""
        removed = []
        for path in sorted(self.folder.iterdir()) if self.folder.is_dir() else []:
            if path.name.split(".")[0] not in self.used:
                path.unlink(missing_ok=True)
                removed.append(path.name)
        return removed
