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

[warehouse]
memory_limit = "4GB"
"""


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
    for source in config.get("sources", []):
        if "match" not in source:
            raise ConfigError(f"config file {p}: every [[sources]] entry needs match = \"<file glob>\"")
    return config
