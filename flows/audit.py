"""Audit reruns: execute a recorded run again from its manifest and compare what it publishes.

The rerun reads exactly the files the run ingested (each checked by sha256 first), with the same configuration,
into a scratch folder. Parquet outputs must match byte for byte; the DuckDB warehouse file is not byte-stable, so
its tables are compared by content (a multiset of row hashes). Differences are summarised per table: row counts
and rows found on one side only. No row content is printed.
"""

import functools
import json
import shutil
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from flows import history
from flows.readers import sha256_file

__all__ = ["AuditRefused", "audit", "compare_fingerprints", "config_toml", "fingerprints_comparable"]

Runner = Callable[[list[str], list[str], str, str | None], dict[str, Any]]


class AuditRefused(Exception):
    """The run cannot be re-executed as it was; the message names the reason (and the file) in one line."""


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(str(k), ensure_ascii=False)} = {_toml_value(v)}"
                                for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def config_toml(config: dict[str, Any]) -> str:
    """The config dict as TOML text that ``tomllib`` reads back equal (tables, arrays of tables, inline values).

    Examples:
        >>> tomllib.loads(config_toml({"defaults": {"province": "บุรีรัมย์"}}))
        {'defaults': {'province': 'บุรีรัมย์'}}
    """
    lines: list[str] = []
    for key, value in config.items():
        name = json.dumps(str(key), ensure_ascii=False)
        if isinstance(value, dict):
            lines.append(f"[{name}]")
            lines += [f"{json.dumps(str(k), ensure_ascii=False)} = {_toml_value(v)}" for k, v in value.items()]
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for item in value:
                lines.append(f"[[{name}]]")
                lines += [f"{json.dumps(str(k), ensure_ascii=False)} = {_toml_value(v)}" for k, v in item.items()]
        else:
            lines.insert(0, f"{name} = {_toml_value(value)}")  # bare keys must come before the first table
    text = "\n".join(lines) + "\n"
    if tomllib.loads(text) != config:
        raise ValueError("config does not survive a TOML round trip")
    return text


def _verify_inputs(manifest: dict[str, Any], state: Path) -> list[dict[str, Any]]:
    """The run's inputs, each pointing at a file with its recorded bytes: the state folder's copy when kept
    (history.kept_input), else the inbox file itself, checked by sha256."""
    verified = []
    for item in manifest.get("inputs", []):
        kept = history.kept_input(state, item)
        if kept.is_file() and sha256_file(kept) == item["sha256"]:
            verified.append(item | {"path": str(kept)})
            continue
        path = Path(item["path"])
        if not path.is_file():
            raise AuditRefused(f"input file missing: {path} (run {manifest['run_id']} read it; no copy kept)")
        now = sha256_file(path)
        if now != item["sha256"]:
            raise AuditRefused(
                f"input file changed since run {manifest['run_id']}: {path} (sha256 was {item['sha256'][:12]}…, "
                f"now {now[:12]}…; no copy kept)"
            )
        verified.append(item)
    return verified


def _check_key(manifest: dict[str, Any]) -> None:
    """Refuse, naming the reason, when the marts could not match: no pseudonym key now, or another key."""
    from flows.pseudonym_key import PseudonymKeyError, fingerprint, load_key

    recorded = manifest.get("pseudonym_key_fingerprint")
    if not recorded:
        return  # a run without marts, or recorded before fingerprints: nothing to compare
    try:
        key = load_key(manifest.get("parameters", {}).get("config"))
    except PseudonymKeyError as e:
        raise AuditRefused(f"no pseudonym key: run {manifest['run_id']} built its marts with one ({e})") from None
    if fingerprint(key) != recorded:
        raise AuditRefused(f"the pseudonym key differs from the run's (run {manifest['run_id']} used key "
                           f"fingerprint {recorded}, this key's is {fingerprint(key)}): its person keys cannot match")


def _kept_model(manifest: dict[str, Any], state: Path) -> str:
    """The history's copy of the model a run reused (``[link] model``): the audit predicts with the same bytes."""
    from flows.link_model import ALL, PLACEHOLDER, model_file_name

    folder = history.run_dir(state, manifest["run_id"])
    if manifest["parameters"].get("link_partition", "none") != "none":
        return str(folder / model_file_name(PLACEHOLDER))  # each province its own: model-{partition}.json
    kept = folder / model_file_name(ALL)
    if not kept.is_file():
        raise AuditRefused(f"run {manifest['run_id']} reused a saved model, but its history keeps no copy ({kept})")
    return str(kept)


def _decisions_copy(manifest: dict[str, Any], state: Path) -> str | None:
    """The run history's copy of the review decisions the run applied (None when it had none), checked by sha256."""
    entry = manifest.get("review_decisions") or {}
    if not entry.get("sha256"):
        return None
    copy = history.kept_decisions(state, manifest["run_id"])
    if not copy.is_file() or sha256_file(copy) != entry["sha256"]:
        raise AuditRefused(f"run {manifest['run_id']} applied review decisions (sha256 {entry['sha256'][:12]}…) "
                           f"but its history keeps no intact copy ({copy})")
    return str(copy)


def _with_decisions(config_path: str | None, scratch: Path, decisions: str) -> str:
    """The rerun's config with [link] decisions naming the history's copy, so it applies the very same decisions."""
    config = tomllib.loads(Path(config_path).read_text(encoding="utf-8")) if config_path else {}
    config["link"] = dict(config.get("link") or {}) | {"decisions": decisions}
    target = scratch / "audit-config.toml"
    target.write_text(config_toml(config), encoding="utf-8")
    return str(target)


def _write_config(manifest: dict[str, Any], scratch: Path, state: Path | None = None) -> str | None:
    params = manifest["parameters"]
    config = params.get("config") or {}
    if not config and not params.get("config_path"):
        return None
    if state is not None and (config.get("link") or {}).get("model"):
        config = {**config, "link": {**config["link"], "model": _kept_model(manifest, state)}}
    target = scratch / "audit-config.toml"
    try:
        target.write_text(config_toml(config), encoding="utf-8")
    except (TypeError, ValueError):
        raise AuditRefused(f"the config of run {manifest['run_id']} cannot be written back as TOML") from None
    return str(target)


# The HTML report prints the run id and when it ran (issue 18): a rerun's page differs there and only there.
RUN_NAMED_REPORT = "saphan_report.html"


def _hash_column(con: duckdb.DuckDBPyConnection, path: Path) -> str:
    names = {r[0] for r in con.execute("select name from parquet_schema(?)", [str(path)]).fetchall()}
    return history.ROW_HASH if history.ROW_HASH in names else history.LEGACY_ROW_HASH


def fingerprints_comparable(before: Path, after: Path) -> str | None:
    """Why two fingerprint files cannot be matched row by row (None when they can): one recorded by a saphan
    before 0.2 (rows hashed as JSON), or a DuckDB that hashes the probe values (history.PROBE_VALUES) otherwise."""
    con = duckdb.connect()
    try:
        kinds = {_hash_column(con, before), _hash_column(con, after)}
        if kinds != {history.ROW_HASH}:
            return "recorded by an older saphan (before 0.2, one md5 of each row as JSON)" if len(kinds) > 1 else None
        probes = [con.execute(f'select list({history.ROW_HASH} order by {history.ROW_HASH}) from read_parquet(?) '
                              'where "table" = ?', [str(path), history.HASH_PROBE]).fetchall()[0][0]
                  for path in (before, after)]
    finally:
        con.close()
    return None if probes[0] == probes[1] else "made by a DuckDB that hashed rows differently from this one"


def compare_fingerprints(before: Path, after: Path) -> list[dict[str, Any]]:
    """Per table: rows before and after, and rows found only before / only after (as multisets of row hashes).

    Fingerprints that cannot be matched row by row (:func:`fingerprints_comparable`) are compared by the warehouse
    tables' row counts only: only_before / only_after are None. (Fingerprints older than 0.2 also hashed the
    Parquet outputs' rows; the audit compares those files by sha256.)
    """
    comparable = fingerprints_comparable(before, after) is None
    con = duckdb.connect()
    try:
        column_before, column_after = _hash_column(con, before), _hash_column(con, after)
        if not comparable:
            rows = con.execute(
                """
                with b as (select "table", count(*) as n from read_parquet($before) group by all),
                a as (select "table", count(*) as n from read_parquet($after) group by all),
                final as (
                    select coalesce(b."table", a."table") as "table", coalesce(b.n, 0)::bigint as rows_before,
                           coalesce(a.n, 0)::bigint as rows_after, null as only_before, null as only_after
                    from b full join a on b."table" = a."table"
                )
                select * from final where not ("table" like '%.parquet' or "table" = $probe) order by "table"
                """,
                {"before": str(before), "after": str(after), "probe": history.HASH_PROBE},
            ).fetchall()
        else:
            rows = con.execute(
                f"""
                with b as (select "table", {column_before} as h, count(*) as n from read_parquet($before) group by all),
                a as (select "table", {column_after} as h, count(*) as n from read_parquet($after) group by all),
                joined as (
                    select coalesce(b."table", a."table") as "table", coalesce(b.n, 0) as nb, coalesce(a.n, 0) as na
                    from b full join a on b."table" = a."table" and b.h = a.h
                ),
                final as (
                    select "table", sum(nb)::bigint as rows_before, sum(na)::bigint as rows_after,
                           sum(greatest(nb - na, 0))::bigint as only_before,
                           sum(greatest(na - nb, 0))::bigint as only_after
                    from joined group by all
                )
                select * from final where "table" <> $probe order by "table"
                """,
                {"before": str(before), "after": str(after), "probe": history.HASH_PROBE},
            ).fetchall()
    finally:
        con.close()
    keys = ("table", "rows_before", "rows_after", "only_before", "only_after")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def _default_runner(rosters: list[str], poverty: list[str], out: str, config_path: str | None,
                    link_partition: str = "none", with_reports: bool = True, with_marts: bool = True
                    ) -> dict[str, Any]:
    from flows.pipeline import pipeline

    # allow_partial: the rerun reads exactly the files the run ingested; it must publish what it made to compare.
    # use_cache=False: an audit recomputes everything, never reusing outputs, files read or lookups (flows/rerun.py)
    return dict(pipeline(rosters, poverty, out, config_path, link_partition=link_partition, with_reports=with_reports,
                         with_marts=with_marts, allow_partial=True, use_cache=False))


def audit(
    run_id: str, state: Path, runner: Runner | None = None, scratch: Path | None = None, keep: bool = False
) -> tuple[bool, str]:
    """Re-execute a recorded run into a scratch folder and compare every output with the original.

    Args:
        run_id: the run id (or a unique prefix of it) as recorded under ``<state>/runs``.
        state: the state folder of the run's output folder (``<out>/state``).
        runner: the pipeline to call, ``(rosters, poverty, out, config_path) -> manifest``; the Prefect flow by
            default.
        scratch: where the rerun writes; a new temporary folder by default.
        keep: keep the scratch folder even when the rerun is identical (it is always kept when it differs).

    Returns:
        (identical, report): the report's first line is ``identical`` or ``different``.

    Raises:
        AuditRefused: the run is unknown, an input file is missing or changed (and no copy was kept), its config
            cannot be rebuilt, its review decisions are not kept intact, or there is no pseudonym key or another
            one than the run's.
    """
    try:
        manifest = history.load_run(Path(state), run_id)
    except KeyError as e:
        raise AuditRefused(str(e.args[0])) from None
    run_id = manifest["run_id"]
    original_fp = history.run_dir(Path(state), run_id) / "fingerprints.parquet"
    if not original_fp.is_file():
        raise AuditRefused(f"run {run_id} has no recorded fingerprints ({original_fp}); it cannot be compared")
    _check_key(manifest)
    inputs = _verify_inputs(manifest, Path(state))
    decisions = _decisions_copy(manifest, Path(state))
    scratch = Path(scratch) if scratch else Path(tempfile.mkdtemp(prefix=f"saphan-audit-{run_id[:8]}-"))
    scratch.mkdir(parents=True, exist_ok=True)
    config_path = _write_config(manifest, scratch, Path(state))
    if decisions:
        config_path = _with_decisions(config_path, scratch, decisions)
    # The same parameters as the run audited: how it partitioned the link stage too.
    params = manifest.get("parameters", {})
    rerun = (runner or functools.partial(_default_runner, link_partition=params.get("link_partition", "none"),
                                         with_reports=params.get("reports", True),
                                         with_marts=params.get("marts", True)))(
        [i["path"] for i in inputs if i["dataset"] == "roster"],
        [i["path"] for i in inputs if i["dataset"] == "poverty"],
        str(scratch / "out"),
        config_path,
    )
    rerun_fp = scratch / "fingerprints.parquet"
    written = scratch / "out" / rerun["run_folder"] if rerun.get("run_folder") else scratch / "out"
    history.fingerprint_outputs(written, rerun.get("outputs", []), rerun_fp)

    kept = sum(1 for i in inputs if Path(i["path"]).is_relative_to(Path(state)))
    lines = [f"run {run_id}: {len(inputs)} input files verified by sha256 ({kept} from the state folder's copies); "
             f"rerun {rerun.get('run_id')} "
             f"in {scratch}"]
    versions_then, versions_now = manifest.get("versions", {}), rerun.get("versions", {})
    for name in sorted(set(versions_then) | set(versions_now)):
        if versions_then.get(name) != versions_now.get(name):
            lines.append(f"  note: {name} was {versions_then.get(name)}, now {versions_now.get(name)}")
    now_sha = {o["path"]: o["sha256"] for o in rerun.get("outputs", [])}
    differences = []
    for o in manifest.get("outputs", []):
        if o["path"].endswith(history.WAREHOUSE_SUFFIX):
            continue  # not byte-stable: compared table by table below
        if o["path"] == RUN_NAMED_REPORT:
            continue  # names its own run id and time; its figures are the marts, compared byte for byte
        if now_sha.get(o["path"]) != o["sha256"]:
            differences.append(f"  {o['path']}: sha256 {o['sha256'][:12]}… -> {str(now_sha.get(o['path']))[:12]}…")
    tables = compare_fingerprints(original_fp, rerun_fp)
    why = fingerprints_comparable(original_fp, rerun_fp)
    by_count = why is not None
    if by_count:
        lines.append(f"  note: run {run_id}'s row fingerprints were {why}: its tables can be compared by row count "
                     "only")
    for t in tables:
        if t["only_before"] is None and t["rows_before"] != t["rows_after"]:
            differences.append(f"  {t['table']}: rows {t['rows_before']} -> {t['rows_after']}")
        elif t["only_before"] or t["only_after"] or t["rows_before"] != t["rows_after"]:
            differences.append(
                f"  {t['table']}: rows {t['rows_before']} -> {t['rows_after']}; {t['only_before']} rows only in "
                f"the original, {t['only_after']} only in the rerun"
            )
    identical = not differences
    lines.append(f"  compared {sum(1 for o in manifest.get('outputs', []) if o['path'].endswith('.parquet'))} "
                 f"Parquet outputs by sha256 and {len(tables)} tables by {'row count' if by_count else 'row content'}")
    if identical and not keep:
        shutil.rmtree(scratch, ignore_errors=True)
        lines[0] = lines[0].replace(f" in {scratch}", "")
    return identical, "\n".join(["identical" if identical else "different", *lines, *differences])
