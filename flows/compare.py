"""Change since last year: compare two published runs by person key and write the ``poverty_change`` mart.

Where a comparison lives: its own folder, by default ``<B's output folder>/comparisons/<A8>-<B8>/`` (the first
eight characters of each run id), never inside a run folder (runs are pruned) nor among a run's published names::

    comparison.json                      the two runs (id, start, survey years, inputs), the key fingerprint,
                                         the totals and the records that could not be followed
    poverty_change.duckdb                tables poverty_change and poverty_change_by_subdistrict
    marts/poverty_change/province_code=XX/data_0.parquet

The folder is written beside its target and swapped in by renames, so a reader sees the old comparison or the
new one. Nothing here needs the pseudonym key: the two runs' person keys are compared as they are, once their
manifests show the same key fingerprint (a fingerprint is an HMAC of a fixed label: it never reveals the key).
"""

import json
import os
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from flows.publish import MANIFEST_NAME, RUNS_DIR, WAREHOUSE_NAME
from flows.safe_errors import SafeMessage
from flows.warehouse import check_contract
from schemas.marts import POVERTY_CHANGE
from transforms.change_sql import CHANGE_COUNTS, change_by_subdistrict_sql, change_sql, not_followed_sql
from transforms.marts_sql import order_by_sql

__all__ = ["COMPARISONS_DIR", "CompareError", "Run", "compare_runs", "default_out", "format_counts", "resolve_run"]

COMPARISONS_DIR = "comparisons"
WAREHOUSE = "poverty_change.duckdb"
SUMMARY = "comparison.json"
FINGERPRINT = "pseudonym_key_fingerprint"


class CompareError(SafeMessage):
    """Two runs cannot be compared; the message says why in one line (never a key, an ID or a name)."""


@dataclass(frozen=True)
class Run:
    """A published run's folder (``<out>/runs/<run_id>``) and its manifest."""

    folder: Path
    manifest: dict[str, Any]

    @property
    def run_id(self) -> str:
        return str(self.manifest["run_id"])

    @property
    def out(self) -> Path:
        """The output folder the run was published in."""
        return self.folder.parent.parent if self.folder.parent.name == RUNS_DIR else self.folder


def resolve_run(arg: str, runs_in: Path) -> Run:
    """A run named by a folder (an output folder: its published run; or a run folder) or by a run id, or a unique
    prefix of one, among ``runs_in/runs/``.

    Examples: ``data/out`` (the run it publishes), ``data/out/runs/0192e3c1-...``, ``0192e3c1``.
    """
    path = Path(arg)
    if path.is_dir() and (path / MANIFEST_NAME).is_file():
        folder = (path / MANIFEST_NAME).resolve().parent  # <out>/manifest.json links into the published run
    else:
        matches = sorted(p.parent for p in (Path(runs_in) / RUNS_DIR).glob(f"{arg}*/{MANIFEST_NAME}")) if arg else []
        if len(matches) != 1:
            where = f"{Path(runs_in) / RUNS_DIR}"
            raise CompareError(f"run {arg!r}: {'no run' if not matches else f'{len(matches)} runs'} found as a "
                               f"folder or in {where} (name an output folder, a run folder or a run id)")
        folder = matches[0]
    try:
        manifest = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise CompareError(f"run {arg!r}: its manifest cannot be read ({type(e).__name__})") from None
    if not (folder / WAREHOUSE_NAME).is_file():
        raise CompareError(f"run {manifest.get('run_id', arg)}: its warehouse is no longer kept in {folder} "
                           "(older runs are pruned: [run] keep_runs)")
    return Run(folder, manifest)


def check_same_key(a: Run, b: Run) -> str:
    """The key fingerprint both runs share; CompareError when one has none or they differ."""
    for run in (a, b):
        if not run.manifest.get(FINGERPRINT):
            raise CompareError(f"run {run.run_id} has no pseudonym key fingerprint (made with --no-marts, or by an "
                               "older saphan): it has no person keys to compare")
    fa, fb = a.manifest[FINGERPRINT], b.manifest[FINGERPRINT]
    if fa != fb:
        raise CompareError(f"runs {a.run_id[:8]} and {b.run_id[:8]} used different pseudonym keys (fingerprints "
                           f"{fa} and {fb}): their person keys cannot be compared; rerun one with the other's key")
    return str(fa)


def default_out(a: Run, b: Run) -> Path:
    """``<B's output folder>/comparisons/<A8>-<B8>``."""
    return b.out / COMPARISONS_DIR / f"{a.run_id[:8]}-{b.run_id[:8]}"


def _attach(con: duckdb.DuckDBPyConnection, run: Run, alias: str) -> None:
    con.execute(f"attach ? as {alias} (read_only)", [str(run.folder / WAREHOUSE_NAME)])
    tables = {r[0] for r in con.execute(
        "select table_name from duckdb_tables() where database_name = ?", [alias]).fetchall()}
    if "int_mart_poverty" not in tables:
        raise CompareError(f"run {run.run_id} has no marts in its warehouse (made with --no-marts)")


def _survey_years(con: duckdb.DuckDBPyConnection, alias: str) -> list[int]:
    return [int(y) for (y,) in con.execute(
        f"select distinct survey_year from {alias}.int_mart_poverty where survey_year is not null order by 1"
    ).fetchall()]


def _write(con: duckdb.DuckDBPyConnection, staging: Path) -> list[dict[str, Any]]:
    """The mart as hive-partitioned Parquet (rows in a fixed order: same runs, same bytes) under staging."""
    target = staging / "marts" / POVERTY_CHANGE.table
    target.parent.mkdir(parents=True)
    con.execute(f"copy (select * from poverty_change order by {order_by_sql(POVERTY_CHANGE)}) to ? "
                "(format parquet, compression zstd, partition_by (province_code))", [str(target)])
    return [{"path": p.relative_to(staging).as_posix(),
             "rows": con.execute("select count(*) from read_parquet(?, hive_partitioning = false)",
                                 [str(p)]).fetchall()[0][0]}
            for p in sorted(target.rglob("*.parquet"))]


def _swap_in(staging: Path, out: Path) -> None:
    """Replace ``out`` with ``staging`` (same parent): two renames, the old folder removed after."""
    old = out.with_name(f".{out.name}-old-{os.getpid()}")
    if out.exists():
        out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def compare_runs(a: Run, b: Run, out: Path | None = None) -> dict[str, Any]:
    """Compare run ``a`` (the earlier year) with run ``b``; write the comparison folder; return its summary.

    The summary holds ``by_subdistrict`` (rows of CHANGE_COUNTS per subdistrict), ``totals`` and ``out``.
    """
    fingerprint = check_same_key(a, b)
    out = Path(out) if out else default_out(a, b)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(f".{out.name}-new-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        con = duckdb.connect(str(staging / WAREHOUSE))
        try:
            _attach(con, a, "run_a")
            _attach(con, b, "run_b")
            con.execute(change_sql())
            check_contract(con, POVERTY_CHANGE)  # columns exactly as the contract says: nothing else rides along
            if [r[0] for r in con.execute("describe poverty_change").fetchall()] != POVERTY_CHANGE.names:
                raise CompareError("poverty_change: columns differ from its contract")
            con.execute(change_by_subdistrict_sql())
            runs = {"a": _run_entry(con, a, "run_a"), "b": _run_entry(con, b, "run_b")}
            con.execute("detach run_a")  # attached paths are not kept in the comparison's warehouse
            con.execute("detach run_b")
            summary = _summary(con, runs, fingerprint)
            con.execute("checkpoint")
            outputs = _write(con, staging)
        finally:
            con.close()
        summary["outputs"] = [{"path": WAREHOUSE, "rows": None}, *outputs]
        (staging / SUMMARY).write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        _swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return summary | {"out": str(out)}


def _summary(con: duckdb.DuckDBPyConnection, runs: dict[str, Any], fingerprint: str) -> dict[str, Any]:
    """What comparison.json holds: the runs, the key fingerprint, the counts by subdistrict and their totals."""
    cur = con.execute("select * from poverty_change_by_subdistrict")
    names = [d[0] for d in cur.description]
    by_subdistrict = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    totals = {n: sum(int(r[n]) for r in by_subdistrict) for n in CHANGE_COUNTS}
    people = con.execute("select count(*) from poverty_change").fetchall()[0][0]
    return {"runs": runs, FINGERPRINT: fingerprint, "people": int(people), "totals": totals,
            "by_subdistrict": by_subdistrict}


def _run_entry(con: duckdb.DuckDBPyConnection, run: Run, alias: str) -> dict[str, Any]:
    followed = con.execute(not_followed_sql(alias)).fetchall()[0]
    return {"run_id": run.run_id, "started_at": run.manifest.get("started_at"), "folder": str(run.folder),
            "survey_years": _survey_years(con, alias),
            "inputs": [{"dataset": i["dataset"], "name": i["name"], "sha256": i["sha256"]}
                       for i in run.manifest.get("inputs", [])],
            "not_followed": {"poverty_records": int(followed[0]), "roster_lines": int(followed[1])}}


def format_counts(summary: dict[str, Any]) -> str:
    """The counts by subdistrict as a text table, the totals last."""
    names = list(CHANGE_COUNTS)
    head = ["subdistrict", "name", *names]
    rows = [[r["subdistrict_code"] or "(unresolved)", r["subdistrict_name"] or "", *[str(r[n]) for n in names]]
            for r in summary["by_subdistrict"]]
    rows.append(["total", "", *[str(summary["totals"][n]) for n in names]])
    widths = [max(_width(h), *(_width(r[i]) for r in rows)) for i, h in enumerate(head)]

    def pad(text: str, width: int, right: bool) -> str:
        space = " " * (width - _width(text))
        return space + text if right else text + space

    lines = [" | ".join(pad(h, w, False) for h, w in zip(head, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(pad(c, w, i > 1) for i, (c, w) in enumerate(zip(r, widths, strict=True))) for r in rows]
    return "\n".join(lines)


def _width(text: str) -> int:
    """Columns a terminal gives the text: Thai vowels and tone marks above or below a letter take none."""
    return sum(unicodedata.category(ch) != "Mn" for ch in text)
