"""The review loop's files: reviewers' decisions kept in the state folder, and what a run uses of them.

    <out>/state/decisions.parquet   every decision imported (`saphan review import`), one row per pair of stable
                                    record keys (transforms/clerical_sql.py): roster_key, poverty_key, decision
                                    (accept / reject / unsure), decided_in (the workbook's file name), imported_at
    [link] decisions = FILE         in the config names another decisions file instead

A run snapshots the decisions file into its own folder (``review_decisions.parquet``) before linking, so the link
stage, the manifest's sha256 and the copy kept in the run history (flows/history.py) are the same bytes; an audit
reruns with that copy (flows/audit.py). The workbook side (export, reading decisions back) is flows/review_xlsx.py.

The decisions file holds keys (sha256 of names, IDs and places), not names or IDs; it is kept in the owner-only
state folder all the same, as a key can be checked against a guessed person.
"""

import datetime as dt
import hashlib
import os
from pathlib import Path
from typing import Any

import duckdb

from flows import history
from flows.config import ConfigError, link_settings
from flows.timing import timed
from flows.warehouse import connect
from transforms.clerical_sql import DECISION_CODES, decision_counts_sql, resolved_decisions_sql

__all__ = ["DECISIONS_NAME", "SNAPSHOT_NAME", "ReviewError", "decisions_file", "prepare_decisions",
           "read_decisions", "record_decisions"]

DECISIONS_NAME = "decisions.parquet"
SNAPSHOT_NAME = "review_decisions.parquet"  # in the run's folder, beside its warehouse
COLUMNS = ("roster_key", "poverty_key", "decision", "decided_in", "imported_at")
DECISIONS = tuple(DECISION_CODES.values())


class ReviewError(Exception):
    """A decisions file or workbook cannot be used; the message names the file and the reason in one line."""


def decisions_file(config: dict[str, Any], out: str | Path) -> Path | None:
    """The decisions a run in `out` applies: `[link] decisions`, else ``<out>/state/decisions.parquet`` if there.

    Raises:
        ConfigError: `[link] decisions` names a file that does not exist.
    """
    configured = (config.get("link") or {}).get("decisions")
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise ConfigError(f"[link] decisions: file not found: {path}")
        return path
    default = history.state_dir(out) / DECISIONS_NAME
    return default if default.is_file() else None


def read_decisions(path: Path) -> list[tuple[str, str, str, str, str]]:
    """The rows of a decisions file, checked: the columns are there and every decision is known."""
    con = duckdb.connect()
    try:
        try:
            rows = con.execute(f"select {', '.join(COLUMNS)} from read_parquet(?) order by roster_key, poverty_key",
                               [str(path)]).fetchall()
        except duckdb.Error:
            raise ReviewError(f"{path} is not a decisions file (Parquet with {', '.join(COLUMNS)})") from None
    finally:
        con.close()
    bad = sorted({str(r[2]) for r in rows if r[2] not in DECISIONS})
    if bad:
        raise ReviewError(f"{path}: unknown decision(s) {', '.join(bad)} (known: {', '.join(DECISIONS)})")
    return [tuple(str(v) for v in r) for r in rows]  # type: ignore[misc]


def _private_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.chmod(tmp, 0o600)
    os.replace(tmp, target)


def record_decisions(decisions: dict[tuple[str, str], str], target: Path, decided_in: str,
                     today: dt.date | None = None) -> dict[str, int]:
    """Merge new decisions into the decisions file `target` (made if missing); a pair decided again takes the new
    decision. Written whole, sorted by keys, then renamed into place.

    Returns:
        counts: new (pairs not decided before), changed, unchanged, total (pairs in the file now).

    Example: ``record_decisions({(roster_key, poverty_key): "accept"}, state / "decisions.parquet", "q.xlsx")``
    gives ``{"new": 1, "changed": 0, "unchanged": 0, "total": 1}`` on a new file.
    """
    existing = {(r[0], r[1]): r for r in read_decisions(target)} if target.is_file() else {}
    when = (today or dt.date.today()).isoformat()
    merged = dict(existing)
    counts = {"new": 0, "changed": 0, "unchanged": 0}
    for (rk, pk), decision in sorted(decisions.items()):
        old = existing.get((rk, pk))
        if old is not None and old[2] == decision:
            counts["unchanged"] += 1
            continue
        counts["changed" if old else "new"] += 1
        merged[(rk, pk)] = (rk, pk, decision, decided_in, when)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.parent.name == history.STATE_NAME:
        os.chmod(target.parent, 0o700)  # the state folder is the owner's only (flows/history.py)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    con = duckdb.connect()
    try:
        con.execute("create table d (roster_key varchar, poverty_key varchar, decision varchar, "
                    "decided_in varchar, imported_at varchar)")
        con.executemany("insert into d values (?, ?, ?, ?, ?)", [merged[k] for k in sorted(merged)])
        con.execute("copy (select * from d order by roster_key, poverty_key) to ? (format parquet)", [str(tmp)])
    finally:
        con.close()
    os.chmod(tmp, 0o600)
    os.replace(tmp, target)
    return counts | {"total": len(merged)}


def _counts(warehouse: str | Path, snapshot: Path, db: dict[str, Any]) -> dict[str, Any]:
    """Per decision kind: decisions, applied (both records in this run), stale (a record no longer present).

    Also leaves int_review_decisions in the warehouse: a link stage split by province places an accepted pair's
    roster record by it (flows/partition.py).
    """
    with connect(warehouse, **db) as con:
        rows = con.execute(decision_counts_sql("read_parquet($file)"), {"file": str(snapshot)}).fetchall()
        con.execute("create or replace temp table review_decisions_in as "
                    "select roster_key, poverty_key, decision from read_parquet(?)", [str(snapshot)])
        con.execute(resolved_decisions_sql("review_decisions_in"))
    by = {str(d): {"decisions": int(n), "applied": int(a), "stale": int(s)} for d, n, a, s in rows}
    return {k: sum(v[k] for v in by.values()) for k in ("decisions", "applied", "stale")} | {"by_decision": by}


@timed("flow.review_decisions")
def prepare_decisions(config: dict[str, Any], out: str | Path, folder: str | Path, warehouse: str | Path,
                      db: dict[str, Any] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The link stage's settings with this run's decisions, and the manifest's ``review_decisions`` entry.

    Call after standardising, before linking. The decisions file (decisions_file) is copied into the run's folder
    and the link stage reads that copy; the entry names the file, its sha256 and counts decisions, applied and
    stale (in total and per decision), e.g. ``{"file": ".../state/decisions.parquet", "sha256": "9f2c…",
    "decisions": 3, "applied": 2, "stale": 1, "by_decision": {"accept": {...}, ...}}``. Without decisions the entry
    says ``"file": null`` and counts 0.

    Raises:
        ConfigError: `[link] decisions` names a missing file.
        ReviewError: the file is not a decisions file.
    """
    settings = link_settings(config)
    settings.pop("decisions", None)
    source = decisions_file(config, out)
    if source is None:
        return settings, {"file": None, "sha256": None, "decisions": 0, "applied": 0, "stale": 0, "by_decision": {}}
    data = source.read_bytes()  # read once: the snapshot, its sha256 and what links are these very bytes
    snapshot = Path(folder) / SNAPSHOT_NAME
    _private_write(snapshot, data)
    read_decisions(snapshot)
    entry = {"file": str(source), "sha256": hashlib.sha256(data).hexdigest(), "snapshot": SNAPSHOT_NAME}
    return settings | {"decisions": str(snapshot)}, entry | _counts(warehouse, snapshot, db or {})
