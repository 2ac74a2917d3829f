"""The inbox: a catalogue of every input file a run has used, identified by content (sha256).

A *source* is one input file path of a dataset (``roster`` or ``poverty``); each distinct content seen at that path
is a *version* of it. Every run links the latest version of every source present in its input folders, so its
outputs are complete; the catalogue records, per input, whether the content is new or already known, and which
run last used each version. Identical content is never read twice within a run (ingest rejects the copy), and a
version already catalogued is never added again.

The catalogue is a small JSON file, ``<state>/inbox.json``, replaced atomically. No names or IDs: paths, hashes and
row counts only.

Examples:
    >>> cat = Catalogue.empty()
    >>> [e["status"] for e in classify(cat, [{"dataset": "roster", "path": "/in/a.csv", "sha256": "ab"}])]
    ['new source']
"""

import datetime as dt
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flows.timing import timed

__all__ = ["CATALOGUE_NAME", "Catalogue", "classify", "commit", "load", "source_rows"]

CATALOGUE_NAME = "inbox.json"
NEW_SOURCE, NEW_VERSION, UNCHANGED, EARLIER_VERSION = "new source", "new version", "unchanged", "earlier version"


@dataclass
class Catalogue:
    """Sources keyed by ``dataset:path``; each holds its versions, oldest first."""

    sources: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def empty(cls) -> "Catalogue":
        return cls()

    def versions(self, dataset: str, path: str) -> list[dict[str, Any]]:
        source = self.sources.get(_key(dataset, path))
        return list(source["versions"]) if source else []

    def owners_of(self, sha256: str) -> list[str]:
        """Paths of other sources that have held this exact content."""
        return sorted(
            s["path"] for s in self.sources.values() if any(v["sha256"] == sha256 for v in s["versions"])
        )


def _key(dataset: str, path: str) -> str:
    return f"{dataset}:{path}"


def load(state_dir: Path) -> Catalogue:
    """Read ``<state>/inbox.json``; an absent file is an empty catalogue."""
    path = Path(state_dir) / CATALOGUE_NAME
    if not path.is_file():
        return Catalogue.empty()
    return Catalogue(sources=json.loads(path.read_text(encoding="utf-8")).get("sources", {}))


def _save(state_dir: Path, catalogue: Catalogue) -> None:
    state_dir.mkdir(parents=True, exist_ok=True)
    tmp = state_dir / f".{CATALOGUE_NAME}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps({"sources": catalogue.sources}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, state_dir / CATALOGUE_NAME)


@timed("flow.inbox")
def classify(catalogue: Catalogue, inputs: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Say, for each ingested input, whether its content is a new source, a new version, or already known.

    Args:
        catalogue: the catalogue as it was before this run.
        inputs: the manifest's ``inputs`` (dataset, path, name, sha256).

    Returns:
        One entry per input: dataset, name, path, sha256, version (1-based, as it will be catalogued), status, and
        ``same_content_as`` (other sources that held this content) when there are any.
    """
    entries = []
    for item in inputs:
        dataset, path, sha = item["dataset"], str(item["path"]), item["sha256"]
        versions = catalogue.versions(dataset, path)
        known = [v for v in versions if v["sha256"] == sha]
        if not versions:
            status, version = NEW_SOURCE, 1
        elif known:
            version = known[-1]["version"]
            status = UNCHANGED if versions[-1]["sha256"] == sha else EARLIER_VERSION
        else:
            status, version = NEW_VERSION, len(versions) + 1
        entry = {"dataset": dataset, "name": item.get("name", Path(path).name), "path": path, "sha256": sha,
                 "version": version, "status": status}
        others = [p for p in catalogue.owners_of(sha) if p != path]
        if others:
            entry["same_content_as"] = others
        entries.append(entry)
    return entries


def commit(state_dir: Path, run_id: str, inputs: Iterable[Mapping[str, Any]], when: str | None = None) -> list[dict]:
    """Record a finished run's inputs: add new versions, and mark every version it used as last used by it.

    Call only after the run's outputs are in place, so a failed run leaves the catalogue as it was.

    Returns:
        The classification of the inputs (as ``classify`` gives it, against the catalogue before this run).
    """
    when = when or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    catalogue = load(state_dir)
    inputs = list(inputs)
    entries = classify(catalogue, inputs)
    for item, entry in zip(inputs, entries, strict=True):
        source = catalogue.sources.setdefault(
            _key(entry["dataset"], entry["path"]),
            {"dataset": entry["dataset"], "path": entry["path"], "name": entry["name"], "versions": []},
        )
        if entry["status"] in (NEW_SOURCE, NEW_VERSION):
            source["versions"].append({
                "version": entry["version"], "sha256": entry["sha256"], "rows_read": item.get("rows_read"),
                "first_run": run_id, "first_seen": when, "last_run": run_id, "last_used": when,
            })
        else:
            for v in source["versions"]:
                if v["version"] == entry["version"]:
                    v["last_run"], v["last_used"] = run_id, when
        source["name"] = entry["name"]
        source["current_version"] = entry["version"]
    _save(Path(state_dir), catalogue)
    return entries


def source_rows(catalogue: Catalogue) -> list[dict[str, Any]]:
    """One row per source and version, for ``saphan status`` (newest version of each source last)."""
    rows = []
    for source in sorted(catalogue.sources.values(), key=lambda s: (s["dataset"], s["path"])):
        for v in source["versions"]:
            rows.append({
                "dataset": source["dataset"], "path": source["path"], "version": v["version"],
                "current": v["version"] == source.get("current_version"), "sha256": v["sha256"][:12],
                "rows_read": v.get("rows_read"), "first_run": v["first_run"], "last_run": v["last_run"],
                "last_used": v["last_used"],
            })
    return rows
