"""The probabilistic tier's model as data: saved with each run, reusable, the same bytes for the same model.

A model is Splink's settings JSON (comparisons with their m and u probabilities, the prior, the blocking rules), as
``linker.misc.save_model_to_json`` returns it, less Splink's random ``linker_uid`` (so one model has one sha256).

    int_link_model   one row per link partition ('all' when the run is not partitioned): how the model came to be
                     (status: trained, reused, or why there is none), its JSON, the JSON's sha256 and its source
                     (training, model file, cache)

A run's history keeps each model as ``model.json`` (or ``model-<partition>.json``); ``[link] model = FILE`` reuses
one instead of training (a ``{partition}`` in FILE names one file per province). The JSON holds no names or IDs:
only SQL conditions, labels and probabilities.

A run with a cache (``<state>/cache/models/<key>.json``) reuses the model an earlier run trained on the same data:
the key digests the training inputs (int_splink_roster and int_splink_poverty, every column), the settings that
steer training (seed, pair limits, the prior and the swap level's u) and the code's version, so a reused model is
the one training would give again (status ``reused``, source ``cache``).
"""

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import duckdb

from flows.lookup_cache import code_version, private_dir
from transforms.linkage import comparisons

__all__ = ["ALL", "MODEL_TABLE", "PLACEHOLDER", "cached_model", "check_model_file", "keep_model", "model_entries",
           "model_file_name", "model_text", "read_model", "record_model", "training_key"]

MODEL_TABLE = "int_link_model"
ALL = "all"  # the partition name of a run linked in one piece
PLACEHOLDER = "{partition}"
STATUSES = ("trained", "reused")  # the statuses that come with a model; others say why there is none
SOURCES = {"trained": "training", "reused": "model file"}  # where a model came from, unless from the cache
# The code training depends on: the comparisons and SQL (transforms), this stage, and the libraries that run it.
MODEL_SOURCES = (("transforms", "*.py"), ("flows", "link.py"), ("flows", "link_model.py"))
MODEL_PACKAGES = ("splink", "duckdb")
CACHE_KEEP = 256  # models kept in the cache, the most recently used: a province run keeps one per province


def model_file_name(partition: str) -> str:
    """The file a run's history keeps a partition's model in.

    Examples:
        >>> model_file_name("all"), model_file_name("31")
        ('model.json', 'model-31.json')
    """
    return "model.json" if partition == ALL else f"model-{partition}.json"


# EM sums over many record pairs in DuckDB's threads, in no fixed order: the same data gives m probabilities that
# differ in their last bits (0.0028193476019710726 one run, 0.002819347601971073 the next, at 100,000 households).
# Rounded to 12 significant digits, the same data gives one model text and the same predictions run after run.
SIGNIFICANT_DIGITS = 12


def rounded_model(model: dict[str, Any]) -> dict[str, Any]:
    """The model with its probabilities (m, u, the prior) rounded to SIGNIFICANT_DIGITS significant digits.

    Examples:
        >>> rounded_model({"probability_two_random_records_match": 0.1 + 0.2})["probability_two_random_records_match"]
        0.3
    """
    def _round(value: Any) -> Any:
        return float(f"{value:.{SIGNIFICANT_DIGITS}g}") if isinstance(value, float) else value

    out = {k: _round(v) if k == "probability_two_random_records_match" else v for k, v in model.items()}
    out["comparisons"] = [
        {**c, "comparison_levels": [
            {k: _round(v) if k in ("m_probability", "u_probability") else v for k, v in level.items()}
            for level in c.get("comparison_levels", [])
        ]}
        for c in model.get("comparisons", [])
    ]
    return out


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


def record_model(con: duckdb.DuckDBPyConnection, status: str, text: str | None, source: str | None = None) -> None:
    """(Re)write int_link_model with this run's one row: partition 'all' (partition.py renames it).

    source: where the model came from (default: training for a trained model, model file for a reused one).
    """
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest() if text is not None else None
    source = source or (SOURCES.get(status) if text is not None else None)
    con.execute(f"create or replace table {MODEL_TABLE} (partition varchar, status varchar, model_json varchar, "
                "sha256 varchar, source varchar)")
    con.execute(f"insert into {MODEL_TABLE} values (?, ?, ?, ?, ?)", [ALL, status, text, sha, source])


# Per table: its rows, and two sums of DuckDB's 64-bit row hash (plain and seeded), ~128 bits over a table whose
# row order follows from its content (ordered by record_id). 0.35 s CPU for 1.1 M poverty rows; md5 of each row
# as JSON took ~10 s. DuckDB's hash may change between versions: the key includes DuckDB's version.
_DIGEST_SQL = "select count(*), coalesce(sum(hash(t)::hugeint), 0), bit_xor(hash(t, 'saphan')) from {table} t"


def training_key(con: duckdb.DuckDBPyConnection, settings: dict[str, Any]) -> str:
    """The model cache's key: the training inputs' digest, the training settings and the code's version.

    Args:
        settings: every value training reads besides the two tables (seed, pair limits, prior, swap u).
    """
    tables = {t: [str(v) for v in con.execute(_DIGEST_SQL.format(table=t)).fetchall()[0]]
              for t in ("int_splink_roster", "int_splink_poverty")}
    text = json.dumps({"tables": tables, "settings": settings, "code": code_version(MODEL_SOURCES, MODEL_PACKAGES)},
                      sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def cached_model(folder: str | Path, key: str) -> Path | None:
    """The cached model of this key, when there is one this saphan can predict with (marked as just used)."""
    path = Path(folder) / f"{key}.json"
    if not path.is_file() or check_model_file(path):
        return None
    os.utime(path)  # the most recently used are the ones kept
    return path


def keep_model(folder: str | Path, key: str, text: str) -> Path:
    """Save a trained model under its key (private, atomic); keep the CACHE_KEEP most recently used."""
    target = private_dir(Path(folder), Path(folder).parent.parent) / f"{key}.json"  # from the state folder down
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, target)
    kept = sorted(target.parent.glob("*.json"), key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True)
    for old in kept[CACHE_KEEP:]:
        old.unlink(missing_ok=True)
    return target


def model_entries(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """For the manifest: each partition's model status, sha256 and the history file that keeps it (no JSON).

    Empty when the warehouse has no int_link_model (a run made before models were kept).
    """
    exists = con.execute("select count(*) from duckdb_tables() where table_name = ? "
                         "and database_name = current_database()", [MODEL_TABLE]).fetchall()[0][0]
    if not exists:
        return []
    columns = {r[0] for r in con.execute(f"describe {MODEL_TABLE}").fetchall()}
    source = "source" if "source" in columns else "null"  # a warehouse from before sources were kept
    rows = con.execute(f"select partition, status, sha256, {source} from {MODEL_TABLE} order by partition").fetchall()
    return [{"partition": p, "status": s, "sha256": h, "file": model_file_name(p) if h else None, "source": src}
            for p, s, h, src in rows]
