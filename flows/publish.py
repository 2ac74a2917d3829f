"""Publish: write a run's outputs into its own folder, then switch the published run in one rename."""

import hashlib
import json
import os
import platform
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from flows.ingest_cache import library_versions
from flows.readers import sha256_file
from flows.safe_errors import SafeMessage
from flows.timing import timed
from transforms.stage_sql import address_review_sql

PACKAGES = ("saphan", "prefect", "duckdb", "pyarrow", "pandas", "pythainlp", "geothai", "splink", "python-calamine")
WAREHOUSE_NAME = "saphan.duckdb"
PARQUET_OUTPUTS = {
    "links.parquet": (
        "select * exclude (roster_record_id, poverty_record_id) from links order by roster_file, roster_row"
    ),
    "quarantine.parquet": "select * from quarantine order by dataset, source_file, source_row",
    "address_review.parquet": "select * from address_review order by dataset, source_file, source_row",
    "blocking_report.parquet": "select * from int_blocking_report order by all",
}


@timed("flow.versions")
def package_versions() -> dict[str, str]:
    return {"python": platform.python_version()} | library_versions(PACKAGES)


@timed("parquet")
def write_parquet(con: duckdb.DuckDBPyConnection, staging: Path) -> list[dict[str, Any]]:
    """COPY each output query to Parquet (rows in a fixed order, so the bytes are the same run to run)."""
    con.execute(address_review_sql())
    outputs = []
    for name, query in PARQUET_OUTPUTS.items():
        path = staging / name
        con.execute(f"copy ({query}) to ? (format parquet, compression zstd)", [str(path)])
        rows = con.execute(f"select count(*) from ({query})").fetchall()[0]
        outputs.append({"path": name, "rows": int(rows[0]) if rows else 0})
    return outputs


def reconcile(con: duckdb.DuckDBPyConnection, inputs: list[dict[str, Any]]) -> bool:
    """Fill accepted/quarantined per input file; True when rows read = accepted + quarantined for every file."""
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for dataset in ("roster", "poverty"):
        for name, accepted, quarantined in con.execute(
            f"""select source_file, count(*) filter (where reject_reason is null),
                       count(*) filter (where reject_reason is not null)
                from stg_{dataset} group by all"""
        ).fetchall():
            counts[(dataset, name)] = {"accepted": int(accepted), "quarantined": int(quarantined)}
    ok = True
    for item in inputs:
        c = counts.get((item["dataset"], item["name"]), {"accepted": 0, "quarantined": 0})
        item.update(c)
        item["reconciled"] = item["rows_read"] == c["accepted"] + c["quarantined"]
        ok = ok and item["reconciled"]
    return ok


def file_entry(path: Path, rows: int | None, shown_as: str) -> dict[str, Any]:
    return {"path": shown_as, "sha256": sha256_file(path), "rows": rows}


# --- the published layout: one folder per run, and one link switched in one rename ---------------------------
#
#   <out>/runs/<run_id>/      everything a run writes (its warehouse too), manifest.json last
#   <out>/current             a symlink to runs/<run_id>: the published run; replaced by one os.replace
#   <out>/links.parquet, <out>/marts, <out>/saphan.duckdb, <out>/manifest.json, ...
#                             symlinks to current/<name>, made once: readers keep today's paths
#
# Killed at any instant, `current` names either the old run or the new one, whole; nothing is moved file by file.

RUNS_DIR = "runs"
CURRENT = "current"
MANIFEST_NAME = "manifest.json"
# Every name a run may publish at the top of <out> (flows.marts.MARTS_DIR and flows.reports' files included).
PUBLISHED_NAMES = (*PARQUET_OUTPUTS, "marts", "fix_lists", "saphan_report.xlsx", "saphan_report.html",
                   WAREHOUSE_NAME, MANIFEST_NAME)
LEGACY_RUN = "previous-layout"  # outputs an older saphan wrote straight into <out>, kept readable under runs/
LOCK_NAME = ".saphan.lock"


class OutputBusy(SafeMessage):
    """Another run holds the output folder; the message says which folder, in one line."""


def checkpoint(out: Path, step: str) -> None:
    """Test hooks for publishing on a slow or failing file system (both unset in normal use).

    SAPHAN_SLOW_RENAME=SECONDS sleeps before each step, as a slow network share would; SAPHAN_PAUSE_AT=STEP
    touches ``<out>/.paused-STEP`` and waits there, so a test can kill the process at that exact step.
    """
    slow = float(os.environ.get("SAPHAN_SLOW_RENAME") or 0)
    if slow > 0:
        time.sleep(slow)
    if os.environ.get("SAPHAN_PAUSE_AT") == step:
        (Path(out) / f".paused-{step}").touch()
        time.sleep(3600)


def run_folder(out: Path, run_id: str) -> Path:
    """Where a run writes everything: ``<out>/runs/<run_id>``."""
    return Path(out) / RUNS_DIR / run_id


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold ``<out>/.saphan.lock`` for the whole run: two runs never write one output folder at once.

    The lock is the kernel's (flock), so a killed run releases it; the next run then removes what it left.
    """
    import fcntl

    Path(out).mkdir(parents=True, exist_ok=True)
    with open(Path(out) / LOCK_NAME, "a+b") as f:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputBusy(f"another saphan run is writing to {out}; wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def current_run(out: Path) -> str | None:
    """The published run's id (the folder ``current`` points to), or None before the first run."""
    link = Path(out) / CURRENT
    return Path(os.readlink(link)).name if link.is_symlink() else None


def _replace_with_link(path: Path, target: str) -> None:
    tmp = path.with_name(f".link-{path.name}-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    os.replace(tmp, path)


def _adopt_legacy(out: Path) -> None:
    """Outputs an older saphan wrote straight into ``out`` move under runs/previous-layout, published there.

    Done before the first switch, so until the new run is published readers still find the old outputs.
    """
    legacy = [n for n in PUBLISHED_NAMES if (out / n).exists() and not (out / n).is_symlink()]
    if not legacy or (out / CURRENT).is_symlink():
        return
    folder = run_folder(out, LEGACY_RUN)
    folder.mkdir(parents=True, exist_ok=True)
    _replace_with_link(out / CURRENT, f"{RUNS_DIR}/{LEGACY_RUN}")
    for name in legacy:  # a file is hard-linked first, so it never disappears; a folder is renamed (a moment)
        if (out / name).is_dir():
            shutil.rmtree(folder / name, ignore_errors=True)
            os.rename(out / name, folder / name)
        elif not (folder / name).exists():
            os.link(out / name, folder / name)
        _replace_with_link(out / name, f"{CURRENT}/{name}")


def ensure_links(out: Path, names: tuple[str, ...] = PUBLISHED_NAMES) -> None:
    """Every published name at the top of ``out`` is a link to ``current/<name>`` (made once, then left alone)."""
    out = Path(out)
    _adopt_legacy(out)
    for name in names:
        path = out / name
        if path.is_symlink() and os.readlink(path) == f"{CURRENT}/{name}":
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)  # left by a run of an older saphan after adoption: not published any more
        _replace_with_link(path, f"{CURRENT}/{name}")


@timed("flow.switch")
def switch_current(out: Path, run_id: str) -> None:
    """Publish a run: point ``<out>/current`` at ``runs/<run_id>`` in one rename (atomic on POSIX file systems)."""
    out = Path(out)
    # Names this run writes that no earlier one did (a new kind of output) get their link too, before the switch:
    # until then it points at nothing in the old run, as the old run had nothing there.
    written = {p.name for p in run_folder(out, run_id).iterdir() if not p.name.startswith(".")}
    ensure_links(out, tuple(sorted(set(PUBLISHED_NAMES) | written)))
    tmp = out / f".{CURRENT}-{run_id}"
    tmp.unlink(missing_ok=True)
    os.symlink(f"{RUNS_DIR}/{run_id}", tmp)
    checkpoint(out, "switch")  # mid-switch: the new link exists, `current` still names the old run
    os.replace(tmp, out / CURRENT)
    fd = os.open(out, os.O_RDONLY)
    try:
        os.fsync(fd)  # the rename reaches the disk before the run says it is published
    finally:
        os.close(fd)


@timed("flow.clean_leftovers")
def clean_leftovers(out: Path) -> list[str]:
    """Remove what killed runs left: staging folders of older versions, temporary links, and run folders
    without a manifest (a run writes its manifest last). Call with the output lock held. Returns the names."""
    out = Path(out)
    removed = []
    published = current_run(out)
    for path in sorted(out.glob(".staging-*")) + sorted(out.glob(f".{CURRENT}-*")) + sorted(out.glob(".link-*")):
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
        removed.append(path.name)
    for path in sorted(out.glob(".paused-*")):
        path.unlink()
    runs = out / RUNS_DIR
    for folder in sorted(runs.iterdir()) if runs.is_dir() else []:
        if folder.name != published and not (folder / MANIFEST_NAME).is_file():
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(f"{RUNS_DIR}/{folder.name}")
    return removed


@timed("flow.prune_runs")
def prune_runs(out: Path, keep: int) -> list[str]:
    """Keep the published run and the ``keep`` most recent other run folders; remove older ones. Returns names."""
    runs = Path(out) / RUNS_DIR
    published = current_run(out)
    others = [f for f in runs.iterdir() if f.is_dir() and f.name != published] if runs.is_dir() else []
    others.sort(key=lambda f: (f / MANIFEST_NAME).stat().st_mtime if (f / MANIFEST_NAME).exists() else 0,
                reverse=True)
    for folder in others[keep:]:
        shutil.rmtree(folder, ignore_errors=True)
    return [f.name for f in others[keep:]]


@timed("flow.manifest")
def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False) + "\n", encoding="utf-8")


def config_digest(config: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(config, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
