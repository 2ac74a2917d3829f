"""Run history: every finished run's manifest, kept by run id, with row fingerprints of what it published.

Layout under the state folder (``<out>/state`` unless told otherwise)::

    runs/<run_id>/manifest.json       the run's manifest, plus the inbox classification of its inputs
    runs/<run_id>/fingerprints.parquet (table, row_hash): one 64-bit hash per warehouse table row (but the
                                       derived int_* and lkp_* tables); the Parquet outputs are fingerprinted by
                                       their bytes, in the manifest. Runs recorded before 0.2 hold (table, row_md5)
    runs/<run_id>/model.json          the run's Splink model (m and u probabilities), as int_link_model holds it;
                                       model-<province>.json per province when the link stage was partitioned.
                                       The manifest's ``link_model`` names each with its sha256
    runs/<run_id>/decisions.parquet    the reviewers' decisions the run applied (flows/review.py), when it had
                                       any: an audit reruns with this copy
    inbox.json                         the catalogue of input files (see flows.inbox)
    inputs/<sha256>/<file name>        a copy of each input file a recorded run read, by content, so the run can
                                       be audited after its inbox file changes; kept while a run of the last
                                       ``keep_inputs_days`` used it ([run] in the config)

The state folder holds raw inputs: it is made readable by its owner only (0700, files 0600).

The fingerprints let ``saphan audit`` compare a rerun with a run whose outputs a later run has replaced, table by
table, and count the rows that differ. They are hashes of whole rows, kept beside outputs that hold the rows
themselves. The Prefect artifact holds counts and file names only.

A row's fingerprint is DuckDB's 64-bit ``hash`` of its columns (a null, '' and 'NULL' differ, so do reordered
values): a tenth of the cost of ``md5(to_json(row))``, which serialised every row of the warehouse (a third of a
province's history step). DuckDB does not promise that ``hash`` stays the same from version to version, so the
fingerprints also hold the hashes of fixed probe values (table ``(hash probe)``): an audit whose DuckDB hashes them
differently says so and compares row counts only, never a false difference. A Parquet output is byte-stable and its
rows are a warehouse table's (links, marts, quarantine): its sha256 is its fingerprint.
"""

import datetime as dt
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import duckdb

from flows import inbox
from flows.link_model import MODEL_TABLE, model_entries, model_file_name
from flows.timing import timed

__all__ = ["STATE_NAME", "fingerprint_outputs", "kept_decisions", "kept_input", "list_runs", "load_run",
           "record_run", "retry_on_oserror", "run_dir", "state_dir"]

STATE_NAME = "state"
INPUTS_NAME = "inputs"
WAREHOUSE_SUFFIX = ".duckdb"
# int_* (link working tables) and lkp_* (per-value lookups, person keys) are made from the raw_*/stg_* rows and
# show up in links and marts when they differ; hashing their millions of rows doubled a province run's history.
DERIVED_SQL = "table_name like 'int\\_%' escape '\\' or table_name like 'lkp\\_%' escape '\\'"


def state_dir(out: str | Path) -> Path:
    """Where a run's history and inbox catalogue live: ``<out>/state``."""
    return Path(out).resolve() / STATE_NAME


def run_dir(state: Path, run_id: str) -> Path:
    return Path(state) / "runs" / run_id


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


ROW_HASH = "row_hash"
LEGACY_ROW_HASH = "row_md5"  # runs recorded before 0.2: md5(to_json(row)) of every output and table row
HASH_PROBE = "(hash probe)"
# One value of each type the warehouse holds (and a few that are easy to confuse), hashed alone and together.
PROBE_VALUES = ("'saphan'", "''", "'NULL'", "'สมชาย ใจดี'", "null::varchar", "0::bigint", "-1234567890123::bigint",
                "42::integer", "2.5::double", "-0.0::double", "1e300::double", "true", "false", "date '2024-01-31'",
                "timestamp '2024-01-31 12:34:56.789'", "timestamptz '2024-01-31 12:34:56+07'",
                "['a', null]::varchar[]", "{'k': 1, 'v': 'x'}", "'\\x00\\xFF'::blob", "123.45::decimal(18, 2)",
                "18446744073709551615::ubigint", "170141183460469231731687303715884105727::hugeint")


def _row_hash_sql(relation: str, columns: list[str]) -> str:
    # Rows are a multiset: order does not matter.
    values = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
    return f"select hash({values}) as {ROW_HASH} from {relation}"


def hash_probe_sql() -> str:
    """The probe's row hashes, as the fingerprints hold them under HASH_PROBE."""
    each = ", ".join(f"hash({v})" for v in PROBE_VALUES)
    return f"select unnest([{each}, hash({', '.join(PROBE_VALUES)})]) as {ROW_HASH}"


@timed("fingerprints")
def fingerprint_outputs(out: Path, outputs: list[dict[str, Any]], target: Path) -> dict[str, dict[str, Any]]:
    """Write ``target`` (Parquet: table, row_hash) for every warehouse table in ``out``; fingerprint each Parquet
    output by its sha256 (the manifest's, when the entry has one).

    Returns:
        Per Parquet output (``links.parquet``, ...): rows and sha256; per warehouse table (``saphan.duckdb:links``,
        ...): rows and a digest of its row hashes (meaningful with the same DuckDB only).
    """
    from flows.readers import sha256_file

    files: dict[str, dict[str, Any]] = {}
    con = duckdb.connect()
    try:
        con.execute(f"create temp table fp (\"table\" varchar, {ROW_HASH} ubigint)")
        # Each table's hashes are inserted sorted and the file keeps that order (DuckDB keeps insertion order):
        # the same rows give the same file, without a sort of every table's hashes together.
        con.execute(f"insert into fp select ?, {ROW_HASH} from ({hash_probe_sql()}) order by all", [HASH_PROBE])
        for o in outputs:
            path = Path(out) / o["path"]
            if o["path"].endswith(".parquet"):
                rows = o.get("rows")
                if rows is None:
                    rows = con.execute("select count(*) from read_parquet(?)", [str(path)]).fetchall()[0][0]
                files[o["path"]] = {"rows": int(rows), "sha256": o.get("sha256") or sha256_file(path)}
            elif o["path"].endswith(WAREHOUSE_SUFFIX):
                con.execute("attach ? as wh (read_only)", [str(path)])
                columns: dict[str, list[str]] = {}
                for table, column in con.execute(
                        "select table_name, column_name from duckdb_columns() where database_name = 'wh' "
                        f"and not ({DERIVED_SQL}) order by table_name, column_index").fetchall():
                    columns.setdefault(table, []).append(column)
                for table, names in columns.items():
                    relation = 'wh.main."' + table.replace('"', '""') + '"'
                    con.execute(f"insert into fp select ?, {ROW_HASH} from ({_row_hash_sql(relation, names)}) "
                                f"order by {ROW_HASH}", [f"{o['path']}:{table}"])
                con.execute("detach wh")
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        con.execute("copy fp to ? (format parquet, compression zstd)", [str(tmp)])
        os.replace(tmp, target)
        # A digest of each table's multiset of hashes, with no sort: count, sum and xor of the hashes.
        summary = con.execute(
            f"""select "table", count(*),
                       sha256(concat_ws(':', count(*), sum({ROW_HASH}::hugeint), bit_xor({ROW_HASH})))
                from fp where "table" <> ? group by 1 order by 1""", [HASH_PROBE]
        ).fetchall()
    finally:
        con.close()
    return files | {t: {"rows": int(n), "digest": d} for t, n, d in summary}


def _reconciliation_table(manifest: dict[str, Any], classified: list[dict[str, Any]]) -> list[dict[str, Any]]:
    status = {(c["dataset"], c["path"]): c for c in classified}
    rows = []
    for item in manifest.get("inputs", []):
        c = status.get((item["dataset"], str(item["path"])), {})
        rows.append({
            "dataset": item["dataset"], "file": item["name"], "version": c.get("version"),
            "inbox": c.get("status"), "rows_read": item.get("rows_read"), "accepted": item.get("accepted"),
            "quarantined": item.get("quarantined"), "reconciled": item.get("reconciled"),
        })
    for r in manifest.get("rejected_files", []):
        rows.append({"dataset": r["dataset"], "file": Path(r["path"]).name, "version": None, "inbox": "rejected",
                     "rows_read": 0, "accepted": 0, "quarantined": 0, "reconciled": None})
    return rows


def _publish_artifact(manifest: dict[str, Any], table: list[dict[str, Any]]) -> str | None:
    """A Prefect table artifact of the reconciliation counts, when called inside a flow or task run."""
    if "prefect" not in sys.modules:
        return None  # not inside a Prefect run, and no reason to pay for importing Prefect
    from prefect.artifacts import create_table_artifact
    from prefect.context import FlowRunContext, TaskRunContext

    if FlowRunContext.get() is None and TaskRunContext.get() is None:
        return None  # outside a run there is nothing to attach it to (and no server should be started for it)
    outputs = ", ".join(
        f"{o['path']} {o['rows']} rows" for o in manifest.get("outputs", []) if o.get("rows") is not None
    )
    description = (
        f"saphan run {manifest['run_id']}: reconciled {manifest.get('reconciled')}; "
        f"{len(manifest.get('inputs', []))} files ingested, {len(manifest.get('rejected_files', []))} rejected; "
        f"outputs: {outputs}"
    )
    return str(create_table_artifact(table=table, key="saphan-reconciliation", description=description))


def _private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def kept_input(state: Path, item: dict[str, Any]) -> Path:
    """Where the state folder keeps a copy of an input file: ``<state>/inputs/<sha256>/<name>``."""
    return Path(state) / INPUTS_NAME / item["sha256"] / item["name"]


def kept_decisions(state: Path, run_id: str) -> Path:
    """Where the run history keeps the review decisions a run applied: ``<state>/runs/<run_id>/decisions.parquet``."""
    return run_dir(state, run_id) / "decisions.parquet"


def _keep_decisions(written: Path, state: Path, manifest: dict[str, Any]) -> None:
    """Copy the decisions the run applied (the snapshot in its folder, flows/review.py) into its history folder,
    when its bytes still have the sha256 the manifest records (else none is kept and the audit says so)."""
    from flows.readers import sha256_file

    entry = manifest.get("review_decisions") or {}
    if not entry.get("sha256"):
        return
    target = kept_decisions(state, manifest["run_id"])
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(Path(written) / entry.get("snapshot", "review_decisions.parquet"), tmp)
    except OSError:
        tmp.unlink(missing_ok=True)
        return
    os.chmod(tmp, 0o600)
    if sha256_file(tmp) == entry["sha256"]:
        os.replace(tmp, target)
    else:
        tmp.unlink()


def _keep_inputs(state: Path, manifest: dict[str, Any], keep_days: int, now: dt.datetime) -> None:
    """Copy the run's inputs into the state folder by content; drop copies no run of the last ``keep_days`` used.

    A copy whose bytes no longer match the recorded sha256 (the file changed during the run) is not kept.
    """
    from flows.readers import sha256_file

    store = Path(state) / INPUTS_NAME
    if keep_days > 0:
        for item in manifest.get("inputs", []):
            target = kept_input(state, item)
            if target.is_file():
                continue
            _private_dir(target.parent)
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            try:
                shutil.copyfile(item["path"], tmp)
            except OSError:
                tmp.unlink(missing_ok=True)
                continue  # the audit then checks the inbox file itself, as before
            os.chmod(tmp, 0o600)
            if sha256_file(tmp) == item["sha256"]:
                os.replace(tmp, target)
            else:
                tmp.unlink()
    cutoff = (now - dt.timedelta(days=keep_days)).isoformat(timespec="seconds")
    wanted = {i["sha256"] for m in list_runs(state) if m.get("recorded_at", "") >= cutoff
              for i in m.get("inputs", [])} if keep_days > 0 else set()
    wanted |= {i["sha256"] for i in manifest.get("inputs", [])} if keep_days > 0 else set()
    for folder in sorted(store.iterdir()) if store.is_dir() else []:
        if folder.name not in wanted:
            shutil.rmtree(folder, ignore_errors=True)


def _keep_models(warehouse: Path, folder: Path) -> list[dict[str, Any]]:
    """Write each partition's model from the run's warehouse into ``folder``; return the manifest's entries
    (partition, status, sha256, file). A run made before models were kept has none."""
    if not warehouse.is_file():
        return []
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        entries = model_entries(con)
        texts = con.execute(f"select partition, model_json from {MODEL_TABLE} where model_json is not null "
                            "order by partition").fetchall() if entries else []
    finally:
        con.close()
    folder.mkdir(parents=True, exist_ok=True)
    for partition, text in texts:
        target = folder / model_file_name(partition)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")  # the JSON as the run used it: its sha256 is the manifest's
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    return entries


@timed("history")
def record_run(manifest: dict[str, Any], state: Path | None = None, keep_inputs_days: int = 365,
               fingerprints_from: str | None = None) -> Path:
    """Keep a finished run: catalogue its inputs, fingerprint its outputs, store its manifest, its link model(s)
    and a copy of its inputs, publish an artifact.

    Call at the end of the pipeline flow, before the run is published (a failed run is not recorded), so every
    published run is in the history.

    Args:
        manifest: the run's manifest as the publish step returned it; its outputs are in
            ``<out>/<run_folder>`` (``<out>`` itself when the manifest names no run folder).
        state: the state folder; ``<out>/state`` by default.
        keep_inputs_days: keep input copies a run of this many days used (0: keep none).
        fingerprints_from: a recorded run whose outputs this run reused, byte for byte (flows/rerun.py checked
            each sha256): its fingerprints are copied instead of computed again.

    Returns:
        The run's folder, ``<state>/runs/<run_id>``.
    """
    out = Path(manifest["parameters"]["out"])
    state = _private_dir(Path(state) if state else state_dir(out))
    folder = run_dir(state, manifest["run_id"])
    now = dt.datetime.now(dt.UTC)
    recorded_at = now.isoformat(timespec="seconds")
    written = out / manifest["run_folder"] if manifest.get("run_folder") else out
    if fingerprints_from:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(run_dir(state, fingerprints_from) / "fingerprints.parquet", folder / "fingerprints.parquet")
        tables = load_run(state, fingerprints_from)["fingerprints"]
    else:
        tables = fingerprint_outputs(written, manifest.get("outputs", []), folder / "fingerprints.parquet")
    classified = inbox.commit(state, manifest["run_id"], manifest.get("inputs", []), when=recorded_at)
    warehouse = [o["path"] for o in manifest.get("outputs", []) if o["path"].endswith(WAREHOUSE_SUFFIX)]
    models = _keep_models(written / warehouse[0], folder) if warehouse else []
    kept = dict(manifest) | {"inbox": manifest.get("inbox") or classified, "recorded_at": recorded_at,
                             "fingerprints": tables, "link_model": models}
    _write_json(folder / "manifest.json", kept)
    _keep_decisions(written, state, kept)
    _keep_inputs(state, kept, keep_inputs_days, now)
    _publish_artifact(manifest, _reconciliation_table(manifest, kept["inbox"]))
    return folder


def load_run(state: Path, run_id: str) -> dict[str, Any]:
    """A recorded run's manifest; a unique prefix of the run id will do. Raises KeyError naming what was sought."""
    runs = Path(state) / "runs"
    exact = runs / run_id / "manifest.json"
    if exact.is_file():
        return dict(json.loads(exact.read_text(encoding="utf-8")))
    matches = sorted(p for p in runs.glob(f"{run_id}*/manifest.json")) if run_id else []
    if len(matches) == 1:
        return dict(json.loads(matches[0].read_text(encoding="utf-8")))
    if len(matches) > 1:
        raise KeyError(f"run id {run_id!r} is ambiguous: {len(matches)} runs start with it")
    raise KeyError(f"no run {run_id!r} recorded in {runs}")


def list_runs(state: Path) -> list[dict[str, Any]]:
    """Every recorded run's manifest, oldest first."""
    manifests = [json.loads(p.read_text(encoding="utf-8")) for p in (Path(state) / "runs").glob("*/manifest.json")]
    return sorted(manifests, key=lambda m: (m.get("started_at", ""), m["run_id"]))


def retry_on_oserror(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect ``retry_condition_fn``: retry a task only when it failed with an OSError (a transient I/O error).

    A bad file or a contract violation fails at once; a full disk or a dropped network share is tried again.
    """
    try:
        exc = state.result(raise_on_failure=False)
    except Exception:  # the state holds no readable result: do not retry blindly
        return False
    return isinstance(exc, OSError)
