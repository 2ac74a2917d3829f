"""Per-distinct lookups cached across runs (issue 17 point 3): a warm standardise builds the very tables a cold one
builds, a changed code version or default province invalidates what it should, and null inputs are found.

The bundled sample (data/sample) is ingested once; each test standardises copies of that warehouse.
"""

import os
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from flows import lookup_cache, warehouse
from flows import standardise as stage
from flows.ingest import ingest_files
from flows.lookup_cache import apply_cached, code_version, lookup_file, lookup_folder
from flows.standardise import shared_lookups, standardise
from flows.warehouse import apply_distinct, connect, relations
from schemas.contracts import QUARANTINE
from transforms.stage_sql import NAME_LOOKUPS

DATASETS = ("roster", "poverty")
BURIRAM = {"defaults": {"province": "บุรีรัมย์"}}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Path:
    """data/sample read into raw_* (not standardised): the warehouse every test copies."""
    path = tmp_path_factory.mktemp("ingested") / "raw.duckdb"
    with connect(path) as con:
        con.execute("create table quarantine (" + ", ".join(f'"{c.name}" {c.type}' for c in QUARANTINE.columns)
                    + ")")
        for dataset, sub in (("roster", "rosters"), ("poverty", "poverty")):
            ingest_files(con, dataset, [str(sample_dir / sub)], {})
    return path


def _standardised(ingested: Path, target: Path, cache: Path | None,
                  config: dict[str, Any] | None = None) -> dict[str, dict[str, int]]:
    shutil.copyfile(ingested, target)
    with connect(target) as con:
        return {d: standardise(con, d, {**(config or {}), "warehouse": {"workers": 1}}, cache) for d in DATASETS}


def _tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every lookup, staged and standardised table and the quarantine, each row and column, in stored order."""
    with duckdb.connect(str(path), read_only=True) as con:
        names = [t for t in relations(con) if t.startswith(("lkp_", "stg_", "std_")) or t == "quarantine"]
        return {t: con.execute(f"select * from {t}").fetchall() for t in names}


def _from_cache(counts: dict[str, int]) -> dict[str, int]:
    return {k.removesuffix(" from cache"): v for k, v in counts.items() if k.endswith(" from cache")}


def _distinct(counts: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in counts.items() if not k.endswith(" from cache")}


def test_a_warm_standardise_builds_the_tables_of_a_cold_one(ingested: Path, tmp_path: Path) -> None:
    cache = tmp_path / "state" / "cache"
    plain = _standardised(ingested, tmp_path / "plain.duckdb", None)
    cold = _standardised(ingested, tmp_path / "cold.duckdb", cache)
    warm = _standardised(ingested, tmp_path / "warm.duckdb", cache)
    expected = _tables(tmp_path / "plain.duckdb")
    assert len(expected) >= 2 * 4 + 1
    assert all(expected[t] for t in ("std_roster", "std_poverty", "lkp_roster_name_part", "lkp_roster_address"))
    assert _tables(tmp_path / "cold.duckdb") == expected
    assert _tables(tmp_path / "warm.duckdb") == expected
    for d in DATASETS:
        assert _distinct(cold[d]) == _distinct(warm[d]) == plain[d]
        assert set(_from_cache(cold[d]).values()) == {0}
        assert _from_cache(warm[d]) == plain[d]  # every distinct value came from the cache, none from Python


def test_a_warm_standardise_calls_no_python_rule(ingested: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "state" / "cache"
    _standardised(ingested, tmp_path / "cold.duckdb", cache)
    calls: list[int] = []
    real = warehouse.transform_rows

    def counted(func: Any, rows: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(len(rows))
        return real(func, rows, *args, **kwargs)

    monkeypatch.setattr(warehouse, "transform_rows", counted)
    _standardised(ingested, tmp_path / "warm.duckdb", cache)
    assert calls and set(calls) == {0}


def test_a_changed_code_version_starts_an_empty_cache(ingested: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "state" / "cache"
    _standardised(ingested, tmp_path / "cold.duckdb", cache)
    assert [p.name for p in (cache / "lookups").iterdir()] == [code_version()]
    monkeypatch.setattr(lookup_cache, "code_version", lambda: "changed-code")
    changed = _standardised(ingested, tmp_path / "changed.duckdb", cache)
    assert all(set(_from_cache(changed[d]).values()) == {0} for d in DATASETS)
    assert [p.name for p in (cache / "lookups").iterdir()] == ["changed-code"]  # the old version's removed
    assert _tables(tmp_path / "changed.duckdb") == _tables(tmp_path / "cold.duckdb")


def test_a_changed_default_province_invalidates_the_address_lookups_only(ingested: Path, tmp_path: Path) -> None:
    cache = tmp_path / "state" / "cache"
    _standardised(ingested, tmp_path / "cold.duckdb", cache)
    moved = _standardised(ingested, tmp_path / "moved.duckdb", cache, BURIRAM)
    _standardised(ingested, tmp_path / "plain.duckdb", None, BURIRAM)
    for d in DATASETS:
        hits, distinct = _from_cache(moved[d]), _distinct(moved[d])
        assert {k: hits[k] for k in ("address", "address_context")} == {"address": 0, "address_context": 0}
        assert {k: v for k, v in hits.items() if not k.startswith("address")} == {
            k: v for k, v in distinct.items() if not k.startswith("address")}
    assert _tables(tmp_path / "moved.duckdb") == _tables(tmp_path / "plain.duckdb")
    # the earlier province's address files are replaced by this one's: one file per lookup
    names = sorted(p.name for p in (cache / "lookups" / code_version()).iterdir())
    assert len([n for n in names if n.startswith("lkp_roster_address-")]) == 1


def test_the_cache_is_the_owners_only(ingested: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    cache = out / "state" / "cache"
    _standardised(ingested, tmp_path / "cold.duckdb", cache)
    folder = cache / "lookups" / code_version()
    for path in (out / "state", cache, cache / "lookups", folder):
        assert os.stat(path).st_mode & 0o777 == 0o700, path
    files = list(folder.iterdir())
    assert files and all(os.stat(f).st_mode & 0o777 == 0o600 for f in files)
    assert not [f for f in files if f.name.endswith(".tmp")]


def _lookup(tmp_path: Path) -> tuple[duckdb.DuckDBPyConnection, list[tuple[Any, ...]], Path]:
    con = duckdb.connect()
    con.execute("create table t as select * from (values ('a', 1), (null, null), ('a', 1), ('b', null), "
                "(null, 2)) v(x, y)")
    return con, [], lookup_file(lookup_folder(tmp_path / "state" / "cache", "v1"), "lkp_t")


OUTPUTS = [("up", "VARCHAR"), ("y2", "INTEGER")]


def _rule(seen: list[tuple[Any, ...]]) -> Any:
    def rule(x: str | None, y: int | None) -> dict[str, Any]:
        seen.append((x, y))
        return {"up": x.upper() if x else "", "y2": None if y is None else 2 * y}
    return rule


def test_null_inputs_are_found_in_the_cache(tmp_path: Path) -> None:
    con, seen, path = _lookup(tmp_path)
    assert apply_cached(con, "select x, y from t", ["x", "y"], _rule(seen), OUTPUTS, "lkp_t", path) == (4, 0)
    first = con.execute("select * from lkp_t").fetchall()
    seen.clear()
    assert apply_cached(con, "select x, y from t", ["x", "y"], _rule(seen), OUTPUTS, "lkp_t", path) == (4, 4)
    assert seen == [] and con.execute("select * from lkp_t").fetchall() == first
    apply_distinct(con, "select x, y from t", ["x", "y"], _rule(seen), OUTPUTS, "lkp_plain")
    assert con.execute("select * from lkp_plain").fetchall() == first
    assert (None, None, "", None) in first and (None, 2, "", 4) in first


def test_only_new_values_reach_python_and_the_file_keeps_both(tmp_path: Path) -> None:
    con, seen, path = _lookup(tmp_path)
    apply_cached(con, "select x, y from t", ["x", "y"], _rule(seen), OUTPUTS, "lkp_t", path)
    seen.clear()
    con.execute("delete from t where x = 'b'")
    con.execute("insert into t values ('c', 3)")
    assert apply_cached(con, "select x, y from t", ["x", "y"], _rule(seen), OUTPUTS, "lkp_t", path) == (4, 3)
    assert seen == [("c", 3)]
    assert con.execute("select in_x, in_y, up from lkp_t").fetchall() == [
        ("a", 1, "A"), ("c", 3, "C"), (None, 2, ""), (None, None, "")]  # sorted as a cold run sorts
    kept = con.execute("select in_x, in_y from read_parquet(?) order by all", [str(path)]).fetchall()
    assert kept == [("a", 1), ("b", None), ("c", 3), (None, 2), (None, None)]  # b kept for a later run


def test_a_file_of_other_columns_or_duplicate_keys_is_not_trusted(tmp_path: Path) -> None:
    con, seen, path = _lookup(tmp_path)
    con.execute("copy (select 'a' as in_x, 1 as in_y, 'WRONG' as up) to ? (format parquet)", [str(path)])
    assert apply_cached(con, "select x, y from t", ["x", "y"], _rule(seen), OUTPUTS, "lkp_t", path) == (4, 0)
    con.execute("copy (select * from lkp_t union all select * from lkp_t) to ? (format parquet)", [str(path)])
    assert apply_cached(con, "select x, y from t", ["x", "y"], _rule(seen), OUTPUTS, "lkp_t", path) == (4, 4)
    assert con.execute("select count(*) from lkp_t").fetchall() == [(4,)]  # one row per value, never two


def test_the_code_version_digests_the_installed_sources(tmp_path: Path) -> None:
    version = code_version()
    assert version == code_version() and len(version) == 20
    other = lookup_cache.code_version.__wrapped__(  # type: ignore[attr-defined]
        (("transforms", "*.py"),), ("pythainlp",))
    assert other != version



def _counting_name_part(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The name parts the name_part rule is called on from now (workers=1: every call is in this process)."""
    seen: list[str | None] = []
    real = stage.NAME_FUNCS["name_part"]

    def counted(part: str | None) -> dict[str, Any]:
        seen.append(part)
        return real(part)

    monkeypatch.setitem(stage.NAME_FUNCS, "name_part", counted)
    return seen


def test_the_poverty_lookups_read_the_rosters_values_and_build_the_same_tables(
        ingested: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _counting_name_part(monkeypatch)
    one = {"warehouse": {"workers": 1}}
    shutil.copyfile(ingested, tmp_path / "alone.duckdb")
    with connect(tmp_path / "alone.duckdb") as con:  # poverty first: no roster lookup to read, all computed
        standardise(con, "poverty", one)
        computed = len(seen)
        standardise(con, "roster", one)
    shutil.copyfile(ingested, tmp_path / "shared.duckdb")
    with connect(tmp_path / "shared.duckdb") as con:  # as the pipeline runs them: poverty reads roster's lookups
        standardise(con, "roster", one)
        seen.clear()
        standardise(con, "poverty", one)
        total, in_roster = con.execute(
            "select count(*), count(*) filter (where in_part in (select in_part from lkp_roster_name_part) or "
            "(in_part is null and exists (select 1 from lkp_roster_name_part where in_part is null))) "
            "from lkp_poverty_name_part").fetchall()[0]
    shared, alone = _tables(tmp_path / "shared.duckdb"), _tables(tmp_path / "alone.duckdb")
    assert shared.keys() == alone.keys()
    for t in shared:
        assert shared[t] == alone[t], t
    assert computed == total and in_roster > 0  # the sample's extract shares name parts with its rosters
    assert len(seen) == total - in_roster  # only the parts the rosters did not have reached Python


def test_a_lookup_left_by_other_code_or_of_other_columns_is_not_read(ingested: Path, tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    shutil.copyfile(ingested, path)
    lookups = {lookup.name: lookup for lookup in NAME_LOOKUPS}
    with connect(path) as con:
        standardise(con, "roster", {"warehouse": {"workers": 1}})
        rule, last = lookups["name_rule"], lookups["name_last"]
        assert shared_lookups(con, last, "poverty") == ["lkp_roster_name_last"]
        assert shared_lookups(con, rule, "poverty") == ["lkp_roster_name_rule"]
        assert shared_lookups(con, last, "roster") == []  # poverty's not made yet
        con.execute("comment on table lkp_roster_name_last is 'saphan lookup older-code'")
        assert shared_lookups(con, last, "poverty") == []
        con.execute("alter table lkp_roster_name_rule add column extra integer")
        assert shared_lookups(con, rule, "poverty") == []
