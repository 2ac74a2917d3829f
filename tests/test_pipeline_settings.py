"""The pipeline's DuckDB settings: memory capped by default (issue 17: a province under 2 GB), the config wins."""

import duckdb

from flows.pipeline import DEFAULT_MEMORY_LIMIT, _db
from flows.warehouse import connect


def test_duckdb_memory_is_capped_unless_the_config_says_otherwise(tmp_path):
    assert _db({}) == {"memory_limit": DEFAULT_MEMORY_LIMIT}
    assert _db({"warehouse": {"memory_limit": "6GB", "threads": 2}}) == {"memory_limit": "6GB", "threads": 2}
    with connect(tmp_path / "w.duckdb", **_db({})) as con:
        limit = con.execute("select current_setting('memory_limit')").fetchone()[0]
    assert limit.replace(" ", "").upper() in ("953.6MIB", "1.0GIB", "1000.0MIB", "1GB")
    free = duckdb.connect()
    assert free.execute("select current_setting('memory_limit')").fetchone()[0] != limit  # DuckDB's own default
