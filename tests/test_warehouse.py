"""The [warehouse] settings reach every connection the flow opens; apply_distinct calls Python once per value."""

from flows.pipeline import _db
from flows.warehouse import apply_distinct, connect


def test_warehouse_settings_apply_to_connections(tmp_path):
    db = _db({"warehouse": {"memory_limit": "1GB", "threads": 1, "temp_directory": str(tmp_path / "spill")},
              "link": {"upper": 0.9}})
    assert db == {"memory_limit": "1GB", "threads": 1, "temp_directory": str(tmp_path / "spill")}
    con = connect(tmp_path / "w.duckdb", **db)
    limit, threads, temp = con.execute(
        "select current_setting('memory_limit'), current_setting('threads'), current_setting('temp_directory')"
    ).fetchall()[0]
    assert limit.startswith("953") and threads == 1 and temp == str(tmp_path / "spill")
    assert _db({}) == {}


def test_apply_distinct_calls_python_once_per_distinct_value(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    con.execute("create table t as select * from (values ('a'), ('b'), ('a'), (null), ('a')) v(x)")
    seen: list[object] = []

    def upper(x):
        seen.append(x)
        return {"y": x.upper() if x else None}

    n = apply_distinct(con, "select x from t", ["x"], upper, [("y", "VARCHAR")], "lkp_t")
    assert n == 3 and sorted(seen, key=str) == [None, "a", "b"]
    assert con.execute("select in_x, y from lkp_t order by in_x nulls last").fetchall() == [
        ("a", "A"), ("b", "B"), (None, None)]
