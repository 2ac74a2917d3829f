"""The link stage by province (flows/partition.py): every roster record once, same answer twice, tiny provinces."""

import shutil
from pathlib import Path

import duckdb
import pytest

from flows.ingest import ingest_files
from flows.partition import link_by_province
from flows.standardise import standardise
from flows.warehouse import connect
from schemas.contracts import QUARANTINE


@pytest.fixture(scope="module")
def std_warehouse(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Path:
    """data/sample ingested and standardised, with a few records moved into made-up small provinces."""
    path = tmp_path_factory.mktemp("partition") / "std.duckdb"
    with connect(path) as con:
        con.execute("create table quarantine (" + ", ".join(f'"{c.name}" {c.type}' for c in QUARANTINE.columns)
                    + ")")
        for dataset, folder in (("roster", "rosters"), ("poverty", "poverty")):
            ingest_files(con, dataset, [str(sample_dir / folder)], {})
            standardise(con, dataset, {})
        # (roster records, poverty records, province): a small one, members with no poverty records, and a
        # larger one; IDs of the moved members are blanked so they cannot follow an exact ID back to province 31.
        for n_roster, n_poverty, province in ((3, 5, "98"), (1, 0, "97"), (40, 60, "96")):
            con.execute(f"""update stg_roster set province_code = '{province}', cid_status = 'missing'
                where record_id in (select record_id from std_roster where province_code = '31'
                                    order by record_id desc limit {n_roster})""")
            con.execute(f"""update stg_poverty set province_code = '{province}'
                where record_id in (select record_id from std_poverty where province_code = '31'
                                    order by record_id desc limit {n_poverty})""")
        con.execute("""update stg_roster set province_code = null, cid_status = 'missing'
            where record_id in (select record_id from std_roster where province_code = '31' order by record_id
                                limit 2)""")
    return path


def _linked(std_warehouse: Path, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.duckdb"
    shutil.copyfile(std_warehouse, path)
    with connect(path) as con:
        link_by_province(con, tmp_path / f"{name}_work")
    return path


def test_every_roster_record_once_and_partitions_reported(std_warehouse: Path, tmp_path: Path) -> None:
    path = _linked(std_warehouse, tmp_path, "a")
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("select count(*), count(distinct roster_record_id) from links").fetchall()[0] == \
            con.execute("select count(*), count(*) from std_roster").fetchall()[0]
        parts = {p: (r, n, how) for p, r, n, how in con.execute("from int_link_partitions").fetchall()}
        assert set(parts) == {"31", "96", "97", "98", "__"}
        assert parts["97"][:2] == (1, 0) and parts["97"][2].startswith("not needed")
        assert parts["__"][:2] == (2, 0)
        assert parts["98"][:2] == (3, 5)
        # without a poverty record in their partition, members of 97 and __ stay unlinked rather than fail
        stray = con.execute("""select count(*) from links l join std_roster r on r.record_id = l.roster_record_id
            where coalesce(r.province_code, '__') in ('97', '__') and l.match_method <> 'unlinked'""").fetchall()
        assert stray == [(0,)]
        rules = con.execute("select count(*), count(distinct rule_order) from int_blocking_report").fetchall()[0]
        assert rules[0] == rules[1] > 0
    assert not (tmp_path / "a_work").exists()


def test_same_outputs_twice(std_warehouse: Path, tmp_path: Path) -> None:
    a, b = _linked(std_warehouse, tmp_path, "a"), _linked(std_warehouse, tmp_path, "b")
    with duckdb.connect() as con:
        con.execute(f"attach '{a}' as a (read_only); attach '{b}' as b (read_only)")
        for table in ("links", "review", "int_blocking_report", "int_link_partitions"):
            left, right = (con.execute(f"select * from {db}.{table}").fetchall() for db in ("a", "b"))
            assert left == right, table


def test_exact_id_across_provinces(std_warehouse: Path, tmp_path: Path) -> None:
    """A member recorded in another province still links by citizen ID: it joins the poverty record's partition."""
    path = tmp_path / "moved.duckdb"
    shutil.copyfile(std_warehouse, path)
    with connect(path) as con:
        moved = con.execute("""select r.record_id from std_roster r join std_poverty p using (cid)
            where r.cid_status = 'valid' and p.cid_status = 'valid' and p.province_code = '31'
            order by r.record_id limit 1""").fetchall()[0][0]
        con.execute(f"update stg_roster set province_code = '95' where record_id = {moved}")
        link_by_province(con, tmp_path / "moved_work")
        assert con.execute(f"select match_method from links where roster_record_id = {moved}").fetchall() == [
            ("exact_id",)]
