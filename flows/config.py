"""The run configuration: a TOML file, every key optional."""

import tomllib
from pathlib import Path
from typing import Any

KNOWN_KEYS = {"defaults", "sources", "link", "warehouse", "schedule", "inputs", "privacy", "run"}
# Every setting each section may hold: a typo is an error naming it, never silently ignored.
SECTION_SETTINGS = {
    "defaults": {"province", "district"},
    "privacy": {"key_file"},
    "sources": {"match", "columns", "header_rows", "sheet", "fund", "date_order", "dataset"},
    "schedule": {"cron", "timezone", "interval_seconds", "pause_on_stop"},
    "inputs": {"rosters", "poverty", "out"},
    "warehouse": {"memory_limit", "threads", "temp_directory", "workers"},
    "run": {"allow_partial", "keep_runs", "keep_inputs_days", "cache"},
}

EXAMPLE = """\
# saphan configuration (every key optional)
[defaults]
province = "บุรีรัมย์"        # used when an address omits its province

[[sources]]                   # a source's own header mapping, for headers the synonyms miss
match = "fund_*.xlsx"         # glob on the file name
columns = { "ชื่อผู้สมัคร" = "full_name" }

[link]
lower = 0.5                   # Splink pairs from here up to `upper` go to the review queue
upper = 0.9                   # link at or above this match probability
margin = 1.0                  # a runner-up within this many bits of the best goes to review instead
seed = 42                     # seeds Splink's random sampling, so reruns give the same answer

[warehouse]
memory_limit = "4GB"
"""
WAREHOUSE_SETTINGS = SECTION_SETTINGS["warehouse"]
LINK_SETTINGS = {
    "lower": float, "upper": float, "margin": float, "seed": int, "u_max_pairs": float, "em_max_pairs": float,
    "decisions": str,  # a reviewers' decisions file (flows/review.py) instead of <out>/state/decisions.parquet
    "model": str,  # a saved Splink model (a run's model.json) to predict with instead of training (flows/link_model.py)
}


class ConfigError(Exception):
    """The config file cannot be used; the message says why in one line."""


def load_config(path: str | Path | None) -> dict[str, Any]:
    """Read a TOML config; an unknown top-level key is an error, not silently ignored."""
    if path is None:
        return {}
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"config file not found: {p}")
    try:
        config = tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"config file {p} is not valid TOML: {e}") from None
    unknown = set(config) - KNOWN_KEYS
    if unknown:
        raise ConfigError(f"config file {p}: unknown section(s) {', '.join(sorted(unknown))}")
    link = config.get("link")
    if isinstance(link, dict) and isinstance(link.get("decisions"), str):
        # like [inputs], a relative path is the config file's folder's, wherever saphan is started
        link["decisions"] = str((p.parent / link["decisions"]).resolve())
    if isinstance(link, dict) and isinstance(link.get("model"), str):
        link["model"] = str((p.parent / link["model"]).resolve())
    link_settings(config, p)
    for section, allowed in SECTION_SETTINGS.items():
        for name, table in _tables(config, section, p):
            unknown = set(table) - allowed
            if unknown:
                raise ConfigError(f"config file {p}: unknown {name} setting(s) {', '.join(sorted(unknown))} "
                                  f"(known: {', '.join(sorted(allowed))})")
    for i, source in enumerate(config.get("sources", []), 1):
        if "match" not in source:
            raise ConfigError(f"config file {p}: every [[sources]] entry needs match = \"<file glob>\"")
        if problem := source_problem(source):
            raise ConfigError(f"config file {p}: [[sources]] #{i}: {problem}")
    run_settings(config, p)
    return config


def source_problem(source: dict[str, Any]) -> str | None:
    """What is wrong with one [[sources]] entry's values (a role not known, a header line not a number), or None."""
    from transforms.reading import ROLES

    columns = source.get("columns", {})
    if not isinstance(columns, dict):
        return "columns must be a table of header = role"
    unknown = sorted({str(v) for v in columns.values()} - set(ROLES) - {"address", "join_date"})  # older names
    if unknown:
        return f"unknown role(s) {', '.join(unknown)} in columns (known: {', '.join(ROLES)})"
    rows = source.get("header_rows", [])
    if not isinstance(rows, list) or not all(isinstance(n, int) and n > 0 for n in rows):
        return "header_rows must be a list of line numbers, e.g. [4, 5]"
    if source.get("date_order") not in (None, "dmy", "mdy", "ymd"):
        return "date_order must be \"dmy\", \"mdy\" or \"ymd\""
    if source.get("dataset") not in (None, "roster", "poverty"):
        return "dataset must be \"roster\" or \"poverty\""
    return None


def _tables(config: dict[str, Any], section: str, path: Path) -> list[tuple[str, dict[str, Any]]]:
    """The section's table(s) as (how to name it in a message, table); [[sources]] is a list of tables."""
    value = config.get(section)
    if value is None:
        return []
    if section == "sources":
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise ConfigError(f"config file {path}: sources must be [[sources]] tables")
        return [(f"[[sources]] #{i}", v) for i, v in enumerate(value, 1)]
    if not isinstance(value, dict):
        raise ConfigError(f"config file {path}: {section} must be a [{section}] table")
    return [(f"[{section}]", value)]


RUN_DEFAULTS: dict[str, Any] = {"allow_partial": False, "keep_runs": 3, "keep_inputs_days": 365, "cache": True}


def run_settings(config: dict[str, Any], path: Path | None = None) -> dict[str, Any]:
    """The [run] section with its defaults: allow_partial (publish a run with a rejected or missing input),
    keep_runs (earlier published runs whose outputs stay under <out>/runs), keep_inputs_days (how long the
    state folder keeps a copy of each input a recorded run read; 0 keeps none), cache (reuse per-value lookups
    and the trained model from earlier runs, kept in <out>/state/cache; false computes everything again).

    Examples:
        >>> run_settings({"run": {"keep_runs": 1}})["keep_runs"], run_settings({})["allow_partial"]
        (1, False)
    """
    section = config.get("run") or {}
    where = f"config file {path}: " if path else ""
    settings = RUN_DEFAULTS | dict(section)
    for name in ("allow_partial", "cache"):
        if not isinstance(settings[name], bool):
            raise ConfigError(f"{where}[run] {name} must be true or false")
    for name in ("keep_runs", "keep_inputs_days"):
        value = settings[name]
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ConfigError(f"{where}[run] {name} must be a whole number >= 0")
    return settings


def link_settings(config: dict[str, Any], path: Path | None = None) -> dict[str, Any]:
    """The [link] section as keyword arguments of flows.link.link; unknown keys and bad values are errors."""
    section = config.get("link", {}) or {}
    unknown = set(section) - set(LINK_SETTINGS)
    where = f"config file {path}: " if path else ""
    if unknown:
        raise ConfigError(f"{where}unknown [link] setting(s) {', '.join(sorted(unknown))}")
    if "decisions" in section and not isinstance(section["decisions"], str):
        raise ConfigError(f"{where}[link] decisions must be a file path (text)")
    if "model" in section:
        from flows.link_model import check_model_file

        if not isinstance(section["model"], str):
            raise ConfigError(f"{where}[link] model must be a file path (text)")
        if problem := check_model_file(section["model"]):
            raise ConfigError(f"{where}[link] {problem}")
    try:
        settings = {k: LINK_SETTINGS[k](v) for k, v in section.items()}
    except (TypeError, ValueError):
        raise ConfigError(f"{where}[link] settings must be numbers (decisions: a file path)") from None
    if not 0 <= settings.get("lower", 0.5) <= settings.get("upper", 0.9) <= 1:
        raise ConfigError(f"{where}[link] needs 0 <= lower <= upper <= 1")
    return settings
