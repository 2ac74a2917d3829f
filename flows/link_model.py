"""The probabilistic tier's model as data: saved with each run, reusable, the same bytes for the same model.

A model is Splink's settings JSON (comparisons with their m and u probabilities, the prior, the blocking rules), as
``linker.misc.save_model_to_json`` returns it, less Splink's random ``linker_uid`` (so one model has one sha256).

    int_link_model   one row per link partition ('all' when the run is not partitioned): how the model came to be
                     (status: trained, reused, or why there is none), its JSON and the JSON's sha256

A run's history keeps each model as ``model.json`` (or ``model-<partition>.json``); ``[link] model = FILE`` reuses
one instead of training (a ``{partition}`` in FILE names one file per province). The JSON holds no names or IDs:
only SQL conditions, labels and probabilities.
"""

import hashlib
import json
from pathlib import Path
from typing import Any

import duckdb

from transforms.linkage import comparisons

__all__ = ["ALL", "MODEL_TABLE", "PLACEHOLDER", "check_model_file", "model_entries", "model_file_name", "model_text",
           "read_model", "record_model"]

MODEL_TABLE = "int_link_model"
ALL = "all"  # the partition name of a run linked in one piece
PLACEHOLDER = "{partition}"
STATUSES = ("trained", "reused")  # the statuses that come with a model; others say why there is none


def model_file_name(partition: str) -> str:
    """The file a run's history keeps a partition's model in.

    Examples:
        >>> model_file_name("all"), model_file_name("31")
        ('model.json', 'model-31.json')
    """
    return "model.json" if partition == ALL else f"model-{partition}.json"


def model_text(model: dict[str, Any]) -> str:
    """The model as saved: Splink's dict without its random ``linker_uid``, indented, key order kept.

    Examples:
        >>> model_text({"link_type": "link_only", "linker_uid": "x7f3k2ab"})
        '{\\n  "link_type": "link_only"\\n}\\n'
    """
    kept = {k: v for k, v in model.items() if k != "linker_uid"}
    return json.dumps(kept, indent=2, ensure_ascii=False) + "\n"


def _problem(text: str) -> str | None:
    """Why a text is no model this saphan can predict with, or None."""
    try:
        model = json.loads(text)
    except json.JSONDecodeError:
        return "not JSON"
    if not isinstance(model, dict) or not isinstance(model.get("comparisons"), list):
        return "not a Splink model (no comparisons)"
    have = [c.get("output_column_name") for c in model["comparisons"] if isinstance(c, dict)]
    want = [c["output_column_name"] for c in comparisons()]
    if have != want:
        return f"compares {', '.join(map(str, have))}; this saphan compares {', '.join(want)}"
    # EM leaves a level it never saw without m (Splink then weighs it 0); a model with no m at all is untrained.
    if not any(lv.get("m_probability") is not None and not lv.get("fix_m_probability") for c in model["comparisons"]
               for lv in c.get("comparison_levels", [])):
        return "not trained (no m probabilities)"
    return None


def check_model_file(path: str | Path) -> str | None:
    """What is wrong with a ``[link] model`` file (missing, not JSON, other comparisons, untrained), or None.

    A path with ``{partition}`` names one file per province: the files are checked when each province links.
    """
    if PLACEHOLDER in str(path):
        return None
    p = Path(path)
    if not p.is_file():
        return f"model file not found: {p}"
    try:
        problem = _problem(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        return f"model file {p} cannot be read: {type(e).__name__}"
    return f"model file {p}: {problem}" if problem else None


def read_model(path: str | Path) -> tuple[str, dict[str, Any]]:
    """The model file's text, exactly (what the run records), and the settings dict Splink is given.

    Raises:
        ValueError: the file is missing or no usable model (the message names the file, not its content).
    """
    problem = check_model_file(path)
    if problem:
        raise ValueError(problem)
    text = Path(path).read_text(encoding="utf-8")
    settings = json.loads(text)
    for rule in settings.get("blocking_rules_to_generate_predictions", []):
        if isinstance(rule, dict):
            rule.pop("sql_dialect", None)  # as Splink's own loader does for a file: the dialect is the linker's
    return text, settings


def record_model(con: duckdb.DuckDBPyConnection, status: str, text: str | None) -> None:
    """(Re)write int_link_model with this run's one row: partition 'all' (partition.py renames it)."""
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest() if text is not None else None
    con.execute(f"create or replace table {MODEL_TABLE} (partition varchar, status varchar, model_json varchar, "
                "sha256 varchar)")
    con.execute(f"insert into {MODEL_TABLE} values (?, ?, ?, ?)", [ALL, status, text, sha])


def model_entries(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """For the manifest: each partition's model status, sha256 and the history file that keeps it (no JSON).

    Empty when the warehouse has no int_link_model (a run made before models were kept).
    """
    exists = con.execute("select count(*) from duckdb_tables() where table_name = ? "
                         "and database_name = current_database()", [MODEL_TABLE]).fetchall()[0][0]
    if not exists:
        return []
    rows = con.execute(f"select partition, status, sha256 from {MODEL_TABLE} order by partition").fetchall()
    return [{"partition": p, "status": s, "sha256": h, "file": model_file_name(p) if h else None}
            for p, s, h in rows]
