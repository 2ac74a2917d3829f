"""The saphan pipeline: one Prefect flow, ingest -> standardise -> link -> publish.

Tasks pass the warehouse path and table names, never data frames: Prefect keeps task results in memory, and
persists none (``persist_result=False``). Every task and the flow reduce an error to its type and a safe message
(flows/safe_errors.py) before Prefect logs or stores it: no citizen ID or name reaches a log.

A run writes everything into ``<out>/runs/<run_id>/`` and is published by one rename of ``<out>/current``
(flows/publish.py), after its history is recorded. A run with a rejected file, a missing path or no rows read for
a dataset is not published unless allowed (``allow_partial``): its outputs stay in its folder and the flow fails.
"""

import datetime as dt
import shutil
import uuid
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

from flows import dataset_reuse, fix_lists, history, inbox, marts, partition, publish, reports, rerun, review, timing
from flows.cli_inspect import ascii_safe
from flows.config import load_config, run_settings
from flows.ingest import ingest_files
from flows.ingest_cache import IngestCache
from flows.link import link
from flows.link_model import model_entries
from flows.pseudonym_key import fingerprint, load_key
from flows.safe_errors import SafeMessage, safe_errors
from flows.standardise import cells_not_read, standardise
from flows.warehouse import connect, relations
from schemas.contracts import QUARANTINE

DATASETS = ("roster", "poverty")


# DuckDB takes up to 80% of the machine's memory unless told: a province's staged join (1.1 M poverty rows and their
# lookups) held 1.6 GB of it, and a run peaked at 2.47 GB. Capped, DuckDB spills what does not fit to disk instead:
# the same run peaked at 1.79 GB (issue 17 asks < 2 GB). `[warehouse] memory_limit` sets another cap.
DEFAULT_MEMORY_LIMIT = "1GB"


def _db(config: dict[str, Any]) -> dict[str, Any]:
    """DuckDB settings from the config's [warehouse] section (memory_limit by default DEFAULT_MEMORY_LIMIT); each
    task's connection applies them."""
    section = {"memory_limit": DEFAULT_MEMORY_LIMIT} | (config.get("warehouse") or {})
    return {k: section[k] for k in ("memory_limit", "threads", "temp_directory") if k in section}


@timing.timed("flow.init_warehouse")
def _init_warehouse(path: Path, memory_limit: str | None) -> None:
    with connect(path, memory_limit) as con:
        con.execute(
            "create table if not exists quarantine ("  # a warehouse copied for reuse has its own
            + ", ".join(f'"{c.name}" {c.type}' for c in QUARANTINE.columns) + ")"
        )


# Transient I/O errors (a dropped share, a full disk) are retried; bad files and contract violations are not.
_IO_RETRIES: dict[str, Any] = {"retries": 2, "retry_delay_seconds": 2, "retry_condition_fn": history.retry_on_oserror}
# Nothing a task returns is written to Prefect's result storage: results are counts and names, kept in memory.
_TASK: dict[str, Any] = {"cache_policy": NO_CACHE, "persist_result": False}


class RunNotPublished(SafeMessage):
    """The run wrote its outputs into its own folder but did not publish them; ``manifest`` says why."""

    def __init__(self, manifest: dict[str, Any]) -> None:
        self.manifest = manifest
        super().__init__(
            f"run {manifest['run_id']} not published ({'; '.join(manifest['not_published'])}): its outputs are in "
            f"{ascii_safe(manifest['run_folder_path'])}; the published outputs are unchanged (--allow-partial "
            "publishes such a run)"
        )


@task(name="ingest", **_TASK, **_IO_RETRIES)
@safe_errors
def ingest_task(warehouse: str, dataset: str, paths: list[str], config: dict[str, Any],
                hashes: dict[str, str] | None = None, cache_dir: str | None = None) -> list[dict[str, Any]]:
    """Read every file of a dataset into raw_<dataset>; report each file, rejected ones too.

    `hashes`: the files' sha256 as the run computed them (flows/rerun.py); `cache_dir`: the per-file ingest cache
    (flows/ingest_cache.py), None to parse every file."""
    logger = get_run_logger()
    cache = IngestCache(Path(cache_dir), dataset) if cache_dir else None
    with timing.timed(f"ingest.{dataset}"), connect(warehouse, **_db(config)) as con:
        reports = ingest_files(con, dataset, paths, config, hashes=hashes, cache=cache)
    if cache is not None:
        logger.info("%s files from the ingest cache: %d of %d", dataset, cache.hits, cache.hits + cache.misses)
    for r in reports:  # control characters in a file name escaped: one log line per file
        if r.status == "rejected":
            logger.warning("rejected %s file %s: %s", dataset, ascii_safe(r.name), ascii_safe(str(r.reason)))
        else:
            logger.info("read %s file %s: %d rows", dataset, ascii_safe(r.name), r.rows_read)
    return [r.as_dict() | {"from_cache": r.from_cache} for r in reports]


def _reuse_sources(out_dir: Path, keys: dict[str, str], use_cache: bool
                   ) -> dict[str, tuple[dict[str, Any] | None, str]]:
    if not use_cache:
        return {d: (None, "cache off (--no-cache or [run] cache = false)") for d in keys}
    sources = dataset_reuse.published_sources(out_dir, keys)
    for dataset, (source, why) in sources.items():
        get_run_logger().info("%s %s: %s", dataset, "copied" if source else "read", why)
    return sources


@task(name="reuse-datasets", **_TASK)
@safe_errors
def reuse_task(warehouse: str, datasets: list[str], source: dict[str, Any], config: dict[str, Any]) -> str | None:
    """Start the run's warehouse as a copy of the published run's, keeping only the datasets' ingest and
    standardise (flows/dataset_reuse.py); None, or why nothing was copied.

    `source`: the published run's id, warehouse path and sha256 (not its manifest: Prefect walks a task's
    parameters)."""
    with timing.timed("reuse"):
        if why := dataset_reuse.copy_warehouse(source, Path(warehouse)):
            return why
        with connect(warehouse, **_db(config)) as con:  # closed (checkpointed) inside the step
            dataset_reuse.keep_datasets(con, datasets)
        return None


@task(name="standardise", **_TASK)
@safe_errors
def standardise_task(warehouse: str, dataset: str, config: dict[str, Any],
                     cache_dir: str | None = None) -> dict[str, int]:
    """Standardise names, IDs, dates and addresses of a dataset (per distinct value) and validate rows."""
    with timing.timed(f"standardise.{dataset}"), connect(warehouse, **_db(config)) as con:
        distinct = standardise(con, dataset, config, Path(cache_dir) if cache_dir else None)
    get_run_logger().info("standardised %s: distinct values %s", dataset, distinct)
    return distinct


@task(name="link", **_TASK)
@safe_errors
def link_task(warehouse: str, settings: dict[str, Any], db: dict[str, Any] | None = None) -> dict[str, int]:
    """Link accepted roster records to poverty records (settings: the config's [link] section)."""
    with timing.timed("link"), connect(warehouse, **(db or {})) as con:
        methods = link(con, **settings)
    get_run_logger().info("links by method: %s", methods)
    return methods


# Link by province (issue #8): flows/partition.py. The same partitioned path runs locally (one province after
# another) and on a Dask cluster (provinces in parallel), so the two give byte-identical outputs.
LINK_PARTITIONS = ("none", "province")


@task(name="link-export-partitions", **_TASK)
@safe_errors
def export_partitions_task(warehouse: str, work: str, db: dict[str, Any]) -> list[str]:
    """Write each province's std rows to Parquet under `work`; return the partition folders in province order."""
    with connect(warehouse, **db) as con:
        return partition.export_partitions(con, Path(work))


@task(name="link-partition", **_TASK)
@safe_errors
def link_partition_task(folder: str, settings: dict[str, Any], memory_limit: str | None,
                        threads: int | None) -> dict[str, Any]:
    """Link one province in its own DuckDB; return its counts (no names or IDs)."""
    summary = partition.link_partition(folder, settings, memory_limit, threads)
    get_run_logger().info("partition %s: %s (%s)", summary["partition"], summary["methods"],
                          summary["probabilistic"])
    return summary


@task(name="link-collect-partitions", **_TASK)
@safe_errors
def collect_partitions_task(warehouse: str, folders: list[str], summaries: list[dict[str, Any]],
                            db: dict[str, Any]) -> dict[str, int]:
    """Bring the provinces' links, review and blocking counts into the warehouse, in province order."""
    with connect(warehouse, **db) as con:
        partition.collect_partitions(con, folders, summaries)
        rows = con.execute("select match_method, count(*) from links group by all order by all").fetchall()
    return {str(m): int(n) for m, n in rows}


@timing.timed("link")
def _link_by_province(warehouse: str, work: Path, settings: dict[str, Any], config: dict[str, Any],
                      manifest: dict[str, Any]) -> dict[str, int]:
    from prefect.context import FlowRunContext
    from prefect.task_runners import ThreadPoolTaskRunner
    from prefect.utilities.annotations import unmapped

    wh = config.get("warehouse") or {}
    memory_limit, threads = _db(config)["memory_limit"], wh.get("threads")
    folders = export_partitions_task(warehouse, str(work), _db(config))
    ctx = FlowRunContext.get()
    if ctx is not None and not isinstance(ctx.task_runner, ThreadPoolTaskRunner):  # e.g. a DaskTaskRunner
        futures = link_partition_task.map(folders, unmapped(settings), unmapped(memory_limit), unmapped(threads))
        summaries = [f.result() for f in futures]
    else:  # locally one province at a time: peak memory is the largest province's, not their sum
        summaries = [link_partition_task(f, settings, memory_limit, threads) for f in folders]
    manifest["link_partitions"] = sorted(summaries, key=lambda s: s["partition"])
    methods = collect_partitions_task(warehouse, folders, summaries, _db(config))
    shutil.rmtree(work, ignore_errors=True)
    return methods


def _shareable_outputs(con: Any, staging_dir: Path, manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """Marts and reports carry pseudonymous keys only: built with the key unless the run said --no-marts."""
    if not manifest["parameters"].get("marts", True):
        manifest["marts_skipped"] = "not asked for (--no-marts)"
        return []
    key = load_key(manifest["parameters"]["config"])  # checked when the flow started: present
    manifest["marts"] = marts.build_marts(con, key)
    outputs = marts.write_marts(con, staging_dir)
    if not manifest["parameters"].get("reports", True):
        manifest["reports_skipped"] = "not asked for (--no-reports); `saphan report` writes them from the warehouse"
        return outputs
    return outputs + reports.write_reports(con, staging_dir, manifest)  # the page names its run and time


@task(name="publish", **_TASK, **_IO_RETRIES)
@safe_errors
def publish_task(warehouse: str, folder: str, manifest: dict[str, Any]) -> dict[str, Any]:
    """Write Parquet outputs, marts, reports and (last) the manifest into the run's own folder."""
    run_dir = Path(folder)
    with (timing.timed("publish"), connect(warehouse, **_db(manifest["parameters"]["config"])) as con,
          reports.zips_in_background()):  # the workbook's zip (zlib, a thread) beside the fix lists (Python)
        outputs = publish.write_parquet(con, run_dir)
        shareable = _shareable_outputs(con, run_dir, manifest)
        outputs += fix_lists.write_fix_lists(con, run_dir, manifest["inputs"]) + shareable  # restricted, needs no key
        manifest["reconciled"] = publish.reconcile(con, manifest["inputs"])
        manifest["quarantine_reasons"] = dict(
            con.execute("select reason, count(*) from quarantine group by all order by all").fetchall()
        )
        manifest["cells_not_read"] = cells_not_read(con)  # nulled and flagged, the person kept
        manifest["link_model"] = model_entries(con)  # the trained (or reused) Splink model's sha256
        manifest["address_status"] = {
            d: dict(con.execute(f"select address_status, count(*) from std_{d} group by all order by all").fetchall())
            for d in DATASETS
        }
        manifest["blocking_report"] = [
            {"rule": rule, "pairs": int(pairs)}
            for rule, pairs in con.execute("select rule, sum(pairs) from int_blocking_report group by all order by all")
            .fetchall()
        ]
        tables = relations(con)
    manifest["outputs"] = [
        publish.file_entry(run_dir / o["path"], o["rows"], o["path"]) for o in outputs
    ] + [publish.file_entry(Path(warehouse), None, publish.WAREHOUSE_NAME) | {"tables": tables}]
    return manifest


def _not_published(manifest: dict[str, Any], rosters: list[str], poverty: list[str]) -> list[str]:
    """Why a run must not replace the published outputs (empty when it may): rejected files, missing paths,
    a dataset with no rows read."""
    reasons = []
    if manifest["rejected_files"]:
        reasons.append(f"{len(manifest['rejected_files'])} rejected file(s)")
    missing = [p for p in [*rosters, *poverty] if not Path(p).exists()]
    if missing:
        manifest["missing_paths"] = [str(p) for p in missing]
        reasons.append(f"{len(missing)} missing input path(s)")
    for dataset in DATASETS:
        if not sum(i["rows_read"] for i in manifest["inputs"] if i["dataset"] == dataset):
            reasons.append(f"no {dataset} rows read")
    return reasons


@flow(name="saphan-pipeline", persist_result=False)
@safe_errors
def pipeline(rosters: list[str], poverty: list[str], out: str, config_path: str | None = None,
             link_partition: str = "none", with_reports: bool = True, with_marts: bool = True,
             allow_partial: bool | None = None, use_cache: bool | None = None) -> dict[str, Any]:
    """Link roster files to poverty files, write the outputs into `out`/runs/<run_id> and publish them; return
    the manifest.

    `link_partition="province"` links each province on its own (flows/partition.py); a Dask task runner
    then links the provinces in parallel on its cluster. `with_reports=False` leaves out the XLSX and HTML reports
    (the slowest output at province scale; `saphan report` writes them later from the warehouse).
    `with_marts=False` leaves out marts and reports and needs no pseudonym key; with them, a run without a key
    fails before it reads anything. `allow_partial` (default: the config's [run] allow_partial) publishes a run
    with a rejected file, a missing path or a dataset without rows; otherwise such a run raises RunNotPublished
    after writing its own folder. `use_cache` (default: the config's [run] cache) reuses what earlier runs into
    `out` made (flows/rerun.py): the published run's outputs when nothing changed, else files read before and
    per-value lookups; False computes everything (`saphan run --no-cache`, `saphan audit`).
    """
    since = timing.run_mark()  # the manifest's timings: this run's steps, from `saphan run`'s checks when it ran it
    config = load_config(config_path)
    settings = run_settings(config)
    allow = settings["allow_partial"] if allow_partial is None else allow_partial
    cache_on = settings.get("cache", True) if use_cache is None else use_cache
    key_fingerprint = fingerprint(load_key(config)) if with_marts else None  # no key: fails here, one line
    run_id = str(flow_run.id or uuid.uuid4())
    out_dir = Path(out).resolve()
    with publish.output_lock(out_dir):
        removed = publish.clean_leftovers(out_dir)
        if removed:
            get_run_logger().info("removed what killed runs left: %s", ", ".join(removed))
        folder = publish.run_folder(out_dir, run_id)
        folder.mkdir(parents=True)
        try:
            hashes = rerun.input_hashes([*rosters, *poverty])  # once: the rerun key and ingest both use them
            key = rerun.rerun_key(rosters, poverty, hashes, config, _parameters(
                rosters, poverty, out_dir, None, link_partition, with_reports, with_marts) | {"allow_partial": allow},
                review.decisions_file(config, out_dir), key_fingerprint)
            manifest, why = rerun.reuse_published(out_dir, folder, run_id, key, _parameters(
                rosters, poverty, out_dir, config_path, link_partition, with_reports, with_marts, config)
            ) if cache_on else (None, "cache off (--no-cache or [run] cache = false)")
            get_run_logger().info("%s: %s", "reused" if manifest else "not reused", why)
            if manifest is None:
                manifest = _run(rosters, poverty, out_dir, folder, config, config_path, run_id, link_partition,
                                with_reports, with_marts, hashes, cache_on) | {"not_reused": why}
            else:
                manifest["inbox"] = inbox.classify(inbox.load(history.state_dir(out_dir)), manifest["inputs"])
            manifest["rerun_key"] = key
            manifest["pseudonym_key_fingerprint"] = key_fingerprint
            reasons = _not_published(manifest, rosters, poverty)
            manifest["published"] = not reasons or allow
            if reasons:
                manifest["not_published" if not allow else "published_partial"] = reasons
            manifest["timings"] = timing.seconds(since=since)  # step -> wall seconds (flows/timing.py)
            publish.write_manifest(folder / publish.MANIFEST_NAME, manifest)  # last: the folder is whole
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)  # nothing to inspect, and its warehouse holds raw IDs
            raise
        publish.checkpoint(out_dir, "written")
        if manifest["published"]:
            # history first: a run killed after it is recorded but before the switch is in the history, unpublished;
            # a published run is always in the history.
            history.record_run(manifest, keep_inputs_days=settings["keep_inputs_days"],
                               fingerprints_from=manifest.get("reused_from"))
            publish.checkpoint(out_dir, "recorded")
            publish.switch_current(out_dir, run_id)
            publish.checkpoint(out_dir, "switched")
        publish.prune_runs(out_dir, settings["keep_runs"])
    if not manifest["published"]:
        raise RunNotPublished(manifest | {"run_folder_path": str(folder)})  # the flow run ends Failed
    return manifest


def _parameters(rosters: list[str], poverty: list[str], out_dir: Path, config_path: str | None,
                link_partition: str, with_reports: bool, with_marts: bool,
                config: dict[str, Any] | None = None) -> dict[str, Any]:
    """The manifest's parameters (without `config`: what the rerun key digests beside the config itself)."""
    return {
        "rosters": [str(Path(p).resolve()) for p in rosters],
        "poverty": [str(Path(p).resolve()) for p in poverty],
        "out": str(out_dir),
        **({"config_path": str(Path(config_path).resolve()) if config_path else None, "config": config}
           if config is not None else {}),
        "link_partition": link_partition,
        "reports": with_reports,
        "marts": with_marts,
    }


def _run(rosters: list[str], poverty: list[str], out_dir: Path, folder: Path, config: dict[str, Any],
         config_path: str | None, run_id: str, link_partition: str = "none", with_reports: bool = True,
         with_marts: bool = True, hashes: dict[str, str] | None = None, use_cache: bool = False) -> dict[str, Any]:
    warehouse = folder / publish.WAREHOUSE_NAME
    with timing.timed("flow.prepare"):  # the manifest's start and the dataset keys
        manifest: dict[str, Any] = {
            "run_id": run_id,
            "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "parameters": _parameters(rosters, poverty, out_dir, config_path, link_partition, with_reports, with_marts,
                                      config),
            "run_folder": f"{publish.RUNS_DIR}/{run_id}",
            "versions": publish.package_versions(),
        }
        cache = history.state_dir(out_dir) / "cache" if use_cache else None  # flows/ingest_cache.py, lookup_cache.py
        ingest_cache = str(cache / "ingest") if cache else None
        paths = {"roster": rosters, "poverty": poverty}
        manifest["dataset_keys"] = {d: dataset_reuse.dataset_key(d, paths[d], hashes or {}, config) for d in DATASETS}
    sources = _reuse_sources(out_dir, manifest["dataset_keys"], use_cache)
    manifest["dataset_reuse"] = {d: sources[d][1] for d in DATASETS}
    copied: dict[str, Any] = {}
    if reused := [d for d in DATASETS if sources[d][0] is not None]:  # one source: the published run
        source = sources[reused[0]][0] or {}
        if why := reuse_task(str(warehouse), reused, {k: source[k] for k in ("run_id", "warehouse", "sha256")},
                             config):
            manifest["dataset_reuse"] |= {d: why for d in reused}
        else:
            copied = {d: dataset_reuse.manifest_entries(source, d) for d in reused}
    _init_warehouse(warehouse, _db(config)["memory_limit"])
    reports = []
    for dataset in DATASETS:
        if dataset not in copied:
            reports += ingest_task(str(warehouse), dataset, paths[dataset], config, hashes, ingest_cache)
    manifest["inputs"] = [
        {k: r[k] for k in ("dataset", "path", "name", "sha256", "encoding", "delimiter", "sheets", "columns",
                            "unmapped_headers", "rows_read", "fund", "fund_from", "as_of_year_be", "reading",
                            "warnings")}
        for r in reports if r["status"] == "ingested"
    ]
    manifest["rejected_files"] = [
        {"dataset": r["dataset"], "path": r["path"], "reason": r["reason"]}
        for r in reports
        if r["status"] == "rejected"
    ]
    for entry in ("inputs", "rejected_files"):  # roster files first, as when both datasets are read
        manifest[entry] = sorted(manifest[entry] + [e for c in copied.values() for e in c[entry]],
                                 key=lambda e: DATASETS.index(e["dataset"]))
    if ingest_cache:
        manifest["ingest_cache"] = {d: {"files": sum(r["dataset"] == d for r in reports),
                                        "from_cache": sum(r["dataset"] == d and r["from_cache"] for r in reports)}
                                    for d in DATASETS if d not in copied}
    manifest["distinct_values"] = {d: copied[d]["distinct_values"] if d in copied else
                                   standardise_task(str(warehouse), d, config, str(cache) if cache else None)
                                   for d in DATASETS}
    settings, manifest["review_decisions"] = review.prepare_decisions(config, out_dir, folder, warehouse, _db(config))
    settings |= {"model_cache": str(cache / "models")} if cache else {}  # a model trained on the same data, reused
    manifest["match_methods"] = (
        link_task(str(warehouse), settings, _db(config)) if link_partition == "none"
        else _link_by_province(str(warehouse), folder / "link_partitions", settings, config, manifest)
    )
    manifest["inbox"] = inbox.classify(inbox.load(history.state_dir(out_dir)), manifest["inputs"])
    # quote(): Prefect would visit every entry of the manifest (each file's reading) twice, looking for futures to
    # wait on: 0.45 s CPU at 100,000 households (113 roster files), more with more files.
    return publish_task(str(warehouse), str(folder), quote(manifest))  # type: ignore[call-overload]
