"""Reading a dataset's files on every core: forked processes each read a share, the parent gets them back by index.

Reading is per file and pure (a file's rows and reading depend on its bytes and its config only), so the files
can be shared among processes and the answer is the one a single process gives; ``ingest_files`` then does
everything else (lineage, fund, inserts, duplicates) in file order in the parent, exactly as a serial read.
As in ``flows.warehouse.map_distinct``, the workers are forked: they inherit the memos the input check warmed
(column evidence, date habits, header roles) and need nothing pickled but their results, which come back as Arrow
IPC bytes (read without a copy). The parent reads the first share itself. Where no process can be forked (no
fork on this platform, inside a daemonic Dask worker) or a worker dies, its share is read in the parent.

How the files are split never changes what a file reads, so this module is left out of the ingest cache's
reader code version (flows/ingest_cache.py).
"""

import multiprocessing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from flows.warehouse import default_workers, heap_frozen, in_forks

__all__ = ["PARALLEL_MIN_FILES", "FileRead", "file_cost", "forks", "read_in_processes", "read_workers",
           "shares"]

# Below this many files to read, the parent reads them all. Measured after the input check (warm memos, ~380 MB
# process): a worker's fork, IPC and join cost ~0.03 s CPU and 0.06-0.15 s wall; a ~900-row roster file takes
# ~0.04 s CPU to read, so two processes start to win at about 4-5 files.
PARALLEL_MIN_FILES = 8
# CPU per byte relative to a CSV's (400k-household rosters: CSV 0.26 us/byte, XLSX 0.82): to balance the shares.
_COST_PER_BYTE = {".xlsx": 3.0, ".xls": 3.0, ".ods": 3.0}


@dataclass
class FileRead:
    """One file's reading: its raw rows (None when rejected), the report fields the reading filled, the reason."""

    table: pa.Table | None
    fields: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None


def read_workers(config: Mapping[str, Any]) -> int:
    """Processes to read files in: ``[warehouse] workers`` from the config, else one per core."""
    return int((config.get("warehouse", {}) or {}).get("workers") or default_workers())


def forks(files: int, workers: int) -> bool:
    """Whether reading ``files`` files is shared among forked processes: enough files, workers, and a fork
    available (none on some platforms; a daemonic process, a Dask worker's, may not have children)."""
    return (workers >= 2 and files >= PARALLEL_MIN_FILES and "fork" in multiprocessing.get_all_start_methods()
            and not multiprocessing.current_process().daemon)


def read_in_processes(read: Callable[[int], FileRead], files: Mapping[int, Path], workers: int
                      ) -> dict[int, FileRead]:
    """``read(i)`` for every index in ``files``, shared among up to ``workers`` processes; the reads by index.

    ``read`` must catch what a file can throw (a rejection is a FileRead with a reason); a worker that dies all
    the same has its whole share read again here.
    """
    if not forks(len(files), workers):
        return {i: read(i) for i in sorted(files)}
    split = shares(files, min(workers, len(files)))
    out: dict[int, FileRead] = {}
    with heap_frozen():  # a worker's collections leave the inherited heap (the check's memos) alone: no page copied
        parts = in_forks(_read_share(read), split)
    for part in parts:
        out.update({i: FileRead(_from_ipc(data), fields, reason) for i, data, fields, reason in part})
    return out


def file_cost(path: Path) -> float:
    """About what reading a file costs, from its size and kind (a workbook's byte costs three of a CSV's)."""
    return _size(path) * _COST_PER_BYTE.get(path.suffix.lower(), 1.0)


def shares(files: Mapping[int, Path], workers: int, cost_of: Callable[[Path], float] = file_cost
           ) -> list[list[int]]:
    """The files split into ``workers`` shares of about equal reading time (costliest first to the least loaded
    share), each in file order. ``cost_of``: a file's cost, by default from its size and kind (file_cost), so
    the split is the same every run for the same files."""
    cost = {i: cost_of(p) for i, p in files.items()}
    shares: list[list[int]] = [[] for _ in range(workers)]
    loads = [0.0] * workers
    for i in sorted(files, key=lambda i: (-cost[i], i)):
        least = loads.index(min(loads))
        shares[least].append(i)
        loads[least] += cost[i]
    return [sorted(s) for s in shares]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # read() will say why; any share will do
        return 0


def _read_share(read: Callable[[int], FileRead]) -> Callable[[Sequence[int]], list[tuple[Any, ...]]]:
    """A share's reads as (index, Arrow IPC bytes or None, report fields, reason): what a worker can send back."""
    def share_reads(share: Sequence[int]) -> list[tuple[Any, ...]]:
        return [(i, None if r.table is None else _to_ipc(r.table), r.fields, r.reason)
                for i in share for r in [read(i)]]
    return share_reads


def _to_ipc(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _from_ipc(data: bytes | None) -> pa.Table | None:
    return None if data is None else pa.ipc.open_stream(pa.py_buffer(data)).read_all()
