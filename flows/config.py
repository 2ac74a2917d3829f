"""The run configuration: a TOML file, every key optional."""

import tomllib
from pathlib import Path
from typing import Any

KNOWN_KEYS = {"defaults", "sources", "link", "warehouse", "schedule", "inputs", "privacy"}

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
WAREHOUSE_SETTINGS = {"memory_limit", "threads", "temp_directory", "workers"}
LINK_SETTINGS = {
    "lower": float, "upper": float, "margin": float, "seed": int, "u_max_pairs": float, "em_max_pairs": float,
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
    link_settings(config, p)
    unknown = set(config.get("warehouse", {}) or {}) - WAREHOUSE_SETTINGS
    if unknown:
        raise ConfigError(f"config file {p}: unknown [warehouse] setting(s) {', '.join(sorted(unknown))}")
    for source in config.get("sources", []):
        if "match" not in source:
            raise ConfigError(f"config file {p}: every [[sources]] entry needs match = \"<file glob>\"")
    return config


def link_settings(config: dict[str, Any], path: Path | None = None) -> dict[str, Any]:
    """The [link] section as keyword arguments of flows.link.link; unknown keys and bad values are errors."""
    section = config.get("link", {}) or {}
    unknown = set(section) - set(LINK_SETTINGS)
    where = f"config file {path}: " if path else ""
    if unknown:
        raise ConfigError(f"{where}unknown [link] setting(s) {', '.join(sorted(unknown))}")
    try:
        settings = {k: LINK_SETTINGS[k](v) for k, v in section.items()}
    except (TypeError, ValueError):
        raise ConfigError(f"{where}[link] settings must be numbers") from None
    if not 0 <= settings.get("lower", 0.5) <= settings.get("upper", 0.9) <= 1:
        raise ConfigError(f"{where}[link] needs 0 <= lower <= upper <= 1")
    return settings
