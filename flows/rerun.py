"""Run-level reuse (issue 17 point 3): a rerun with nothing changed republishes the published run's outputs.

The daily schedule mostly finds the same files. A run whose *rerun key* equals the published run's does not
recompute: it copies that run's output files into its own ``runs/<id>/`` folder (copies: old runs get pruned),
checks every copy against the sha256 the published manifest records, writes the HTML report again (the page names
its run and time), records its history with the published run's fingerprints (the same bytes) and is switched in
as any run is. Its manifest says ``"reused_from": <run id>``; a run that recomputed says why in ``"not_reused"``.

The rerun key (in every manifest, ``rerun_key``), one digest per part so a miss can say what changed:

    inputs          every input file found: dataset, path and sha256 (hashed once; ingest reuses the hashes),
                    and the paths not found
    settings        the resolved parameters (link partition, reports, marts, allow_partial), the whole config and
                    the year ages are counted at when a file names none (ingest's default: today's)
    decisions       sha256 of the review decisions file in force (flows/review.py), or null
    model           sha256 of the saved model ``[link] model`` names, or null
    pseudonym_key   the key's fingerprint, or null without marts
    code            sha256 of saphan's source (flows, transforms, schemas) and the versions of the libraries the
                    manifest lists (:func:`code_version`)

A size-and-mtime shortcut would be cheaper but is no proof to an auditor: the files are hashed. ``saphan audit``
never reuses (flows/audit.py passes ``use_cache=False``); neither does ``saphan run --no-cache`` or
``[run] cache = false``.
"""

import datetime as dt
import functools
import hashlib
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import duckdb

from flows import history, publish, reports
from flows.ingest import find_input_files
from flows.ingest_cache import READER_PACKAGES, ROOT, library_versions
from flows.readers import sha256_file
from flows.timing import timed

__all__ = ["COPIED", "FRESH", "code_version", "input_hashes", "rerun_key", "reuse_published"]

# Manifest entries a reused run copies from the published run: what the data and settings made.
COPIED = ("versions", "inputs", "rejected_files", "distinct_values", "review_decisions", "match_methods",
          "link_partitions", "reconciled", "quarantine_reasons", "cells_not_read", "link_model", "address_status",
          "blocking_report", "marts", "marts_skipped", "reports_skipped", "outputs", "dataset_keys")
# Entries every run makes for itself (the pipeline adds the rest: published, timings, key fingerprint, ...).
FRESH = ("run_id", "started_at", "parameters", "run_folder", "inbox", "reused_from", "not_reused", "rerun_key",
         "pseudonym_key_fingerprint", "published", "not_published", "published_partial", "missing_paths",
         "timings", "ingest_cache", "lookup_cache", "dataset_reuse")


def digest(value: Any) -> str:
    """sha256 of a JSON-able value, its keys sorted."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@functools.cache
def code_version() -> str:
    """sha256 of saphan's source files (flows, transforms, schemas: code and data) with the versions of the
    libraries its manifest lists and Python's. Computed once per process."""
    h = hashlib.sha256()
    for package in ("flows", "transforms", "schemas"):
        for path in sorted((ROOT / package).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".csv", ".json", ".toml"):
                h.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    versions = publish.package_versions() | {"python_full": sys.version}
    h.update(digest(versions | library_versions(READER_PACKAGES)).encode())
    return h.hexdigest()


@timed("flow.input_hashes")
def input_hashes(paths: list[str]) -> dict[str, str]:
    """sha256 of every table file the paths name, keyed by ``str(path)`` as ingest finds it; a file that cannot
    be read is left out (ingest rejects it, naming why)."""
    files, _ = find_input_files(paths)
    out = {}
    for f in files:
        try:
            out[str(f)] = sha256_file(f)
        except OSError:
            continue
    return out


def _file_sha(path: str | None) -> str | None:
    return sha256_file(Path(path)) if path and Path(path).is_file() else None


def _model_sha(path: str | None) -> str | None:
    """The saved model's sha256; with ``{partition}`` in the path (a model per province), a digest of every
    province's file, by name."""
    if not path or "{partition}" not in path:
        return _file_sha(path)
    files = sorted(Path(path).parent.glob(Path(path).name.replace("{partition}", "*")))
    return digest([[f.name, sha256_file(f)] for f in files if f.is_file()])


@timed("flow.rerun_key")
def rerun_key(rosters: list[str], poverty: list[str], hashes: dict[str, str], config: dict[str, Any],
              parameters: dict[str, Any], decisions: Path | None, key_fingerprint: str | None) -> dict[str, Any]:
    """The parts a run's outputs depend on, one digest each (see the module's docstring); ``files`` lists the
    input files by dataset, path and sha256 so a miss can name the file that changed."""
    files = []
    for dataset, paths in (("roster", rosters), ("poverty", poverty)):
        found, missing = find_input_files(paths)
        files += [[dataset, str(Path(f).resolve()), hashes.get(str(f))] for f in found]
        files += [[dataset, str(p), None] for p, _ in missing]
    settings = {"parameters": parameters, "config": config, "as_of_year_be": dt.date.today().year + 543}
    return {
        "inputs": digest(files),
        "settings": digest(settings),
        "decisions": _file_sha(str(decisions) if decisions else None),
        "model": _model_sha((config.get("link") or {}).get("model")),
        "pseudonym_key": key_fingerprint,
        "code": code_version(),
        "files": files,
    }


def _files_changed(before: list[list[Any]], now: list[list[Any]]) -> str:
    """'input files changed: 1 changed (a.csv), 0 new, 0 gone' — names only, as the console prints file names."""
    from flows.cli_inspect import ascii_safe

    old = {(d, p): s for d, p, s in before}
    new = {(d, p): s for d, p, s in now}
    changed = sorted(Path(p).name for k, s in new.items() if k in old and old[k] != s for p in [k[1]])
    added = sorted(Path(k[1]).name for k in new if k not in old)
    gone = sorted(Path(k[1]).name for k in old if k not in new)

    def some(names: list[str]) -> str:
        return f" ({ascii_safe(', '.join(names[:3]))}{', …' if len(names) > 3 else ''})" if names else ""

    return (f"input files changed: {len(changed)} changed{some(changed)}, {len(added)} new{some(added)}, "
            f"{len(gone)} gone{some(gone)}")


_WHAT = {"settings": "parameters or config changed", "decisions": "review decisions changed",
         "model": "the saved model changed", "pseudonym_key": "another pseudonym key",
         "code": "saphan's code or libraries changed"}


def why_not_same(published: dict[str, Any], key: dict[str, Any]) -> str | None:
    """Why the published run's outputs do not fit this run (its first differing part), or None when they do."""
    before = published.get("rerun_key")
    if not isinstance(before, dict):
        return f"run {published.get('run_id')} was published by a saphan that kept no rerun key"
    if before.get("inputs") != key["inputs"]:
        return _files_changed(before.get("files") or [], key["files"])
    for part, what in _WHAT.items():
        if before.get(part) != key[part]:
            return what
    return None


def _copy_outputs(source: Path, target: Path, manifest: dict[str, Any]) -> str | None:
    """Copy the run folder's files (all but its manifest and HTML page) and check each output's sha256 against
    the manifest; the first that differs is returned (the published copy was changed after its run)."""
    def skip(folder: str, names: list[str]) -> list[str]:
        return [n for n in names if Path(folder) == source and n in (publish.MANIFEST_NAME, reports.HTML_NAME)]

    shutil.copytree(source, target, ignore=skip, copy_function=shutil.copy, dirs_exist_ok=True)
    expected = [(o["path"], o["sha256"]) for o in manifest.get("outputs", []) if o["path"] != reports.HTML_NAME]
    decisions = manifest.get("review_decisions") or {}
    if decisions.get("sha256"):
        expected.append((decisions.get("snapshot", "review_decisions.parquet"), decisions["sha256"]))
    for path, sha in expected:
        if not (target / path).is_file() or sha256_file(target / path) != sha:
            return path
    return None


def _empty(folder: Path) -> None:
    for path in folder.iterdir():
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()


def published_run(out_dir: Path) -> tuple[str, Path, dict[str, Any]] | str:
    """The published run's id, folder and manifest; or why there is none to reuse from."""
    published_id = publish.current_run(out_dir)
    if published_id is None:
        return "no published run in this output folder yet"
    folder = publish.run_folder(out_dir, published_id)
    try:
        return published_id, folder, json.loads((folder / publish.MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"the published run {published_id} has no readable manifest"


@timed("flow.reuse_check")
def reuse_published(out_dir: Path, folder: Path, run_id: str, key: dict[str, Any],
                    parameters: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
    """This run's manifest made from the published run's outputs, copied into ``folder``; or None and why not.

    Args:
        out_dir: the output folder (its ``current`` names the published run).
        folder: this run's own folder, made and empty; emptied again when the copies do not check out.
        run_id, parameters: this run's.
        key: this run's rerun key (:func:`rerun_key`).

    Returns:
        (manifest, message): the manifest holds the copied entries (COPIED) and this run's own; the pipeline adds
        the rest and publishes as for any run. The message says what was reused, or why nothing was.
    """
    found = published_run(out_dir)
    if isinstance(found, str):
        return None, found
    published_id, source, published = found
    if why := why_not_same(published, key):
        return None, why
    recorded = history.run_dir(history.state_dir(out_dir), published_id)
    if not (recorded / "manifest.json").is_file() or not (recorded / "fingerprints.parquet").is_file():
        return None, f"the published run {published_id} is not in the run history"
    if changed := _copy_outputs(source, folder, published):
        _empty(folder)
        return None, f"the published copy of {changed} differs from what run {published_id} wrote"
    manifest: dict[str, Any] = {
        "run_id": run_id,
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "parameters": parameters,
        "run_folder": f"{publish.RUNS_DIR}/{run_id}",
        "reused_from": published_id,
    } | {k: published[k] for k in COPIED if k in published}
    if any(o["path"] == reports.HTML_NAME for o in manifest.get("outputs", [])):
        _rewrite_html(folder, manifest)
    return manifest, (f"nothing changed since run {published_id} (inputs, settings, decisions, key and code): "
                      "its outputs are reused, checked by sha256")


def _rewrite_html(folder: Path, manifest: dict[str, Any]) -> None:
    """The page names its run and time: written again from the copied warehouse (opened read-only, so its bytes
    stay those the manifest records) with this run's manifest."""
    con = duckdb.connect(str(folder / publish.WAREHOUSE_NAME), read_only=True)
    try:
        reports.write_html(con, folder / reports.HTML_NAME, manifest)
    finally:
        con.close()
    manifest["outputs"] = [
        publish.file_entry(folder / o["path"], o["rows"], o["path"]) if o["path"] == reports.HTML_NAME else o
        for o in manifest["outputs"]
    ]
