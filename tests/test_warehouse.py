"""The [warehouse] settings reach every connection the flow opens; apply_distinct calls Python once per value."""

import gc
import os

import pytest

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
    assert _db({}) == {"memory_limit": "1GB"}  # DuckDB capped by default (flows/pipeline.py DEFAULT_MEMORY_LIMIT)


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


def test_apply_distinct_freezes_the_heap_and_thaws_it_even_on_failure(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    con.execute("create table t as select * from (values ('a'), ('b')) v(x)")
    frozen: list[int] = []

    def state(x):
        frozen.append(gc.get_freeze_count())
        if x == "b":
            raise ValueError("bad value")
        return {"y": x}

    with pytest.raises(ValueError, match="bad value"):
        apply_distinct(con, "select x from t", ["x"], state, [("y", "VARCHAR")], "lkp_t")
    assert frozen[0] > 0  # the heap was frozen out of collections while the lookup was made
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_apply_distinct_stores_text_columns_whatever_python_returned(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    con.execute("create table t as select * from (values ('a'), ('bb'), (null)) v(x)")

    def sizes(x):  # an int where text is declared: converted by the cast, as a typed Arrow column cannot hold it
        return {"n": len(x) if x else None, "s": x, "d": 0.5 if x else None}

    apply_distinct(con, "select x from t", ["x"], sizes, [("n", "VARCHAR"), ("s", "VARCHAR"), ("d", "DOUBLE")], "lkp_t")
    assert con.execute("select in_x, n, s, d from lkp_t order by in_x nulls last").fetchall() == [
        ("a", "1", "a", 0.5), ("bb", "2", "bb", 0.5), (None, None, None, None)]
    assert [r[1] for r in con.execute("describe lkp_t").fetchall()] == ["VARCHAR", "VARCHAR", "VARCHAR", "DOUBLE"]


def test_map_distinct_in_worker_processes_gives_the_serial_answer(monkeypatch):
    from flows import warehouse

    monkeypatch.setattr(warehouse, "PARALLEL_MIN_VALUES", 10)
    rows = [(i, f"v{i % 7}") for i in range(1001)]
    parent = os.getpid()

    def describe(i, v):
        return {"i2": i * 2, "v": v.upper(), "pid": os.getpid()}

    serial = warehouse.map_distinct(describe, rows, ["i2", "v", "pid"], workers=1)
    split = warehouse.map_distinct(describe, rows, ["i2", "v", "pid"], workers=3)
    assert split[:2] == serial[:2] == [[i * 2 for i in range(1001)], [f"V{i % 7}" for i in range(1001)]]
    assert set(serial[2]) == {parent} and len(set(split[2])) == 3  # really three processes


def test_map_distinct_does_a_dead_workers_share_itself(monkeypatch):
    from flows import warehouse

    monkeypatch.setattr(warehouse, "PARALLEL_MIN_VALUES", 10)
    parent = os.getpid()

    def dies_in_worker(i):
        if os.getpid() != parent:
            os._exit(3)  # a worker killed mid-share
        return {"i": i}

    assert warehouse.map_distinct(dies_in_worker, [(i,) for i in range(50)], ["i"], workers=2) == [list(range(50))]
