"""Roster files read in forked processes (flows/ingest_parallel.py) give what one process reading them gives:
the same raw rows in the same order, the same reports, the same raw_columns, the same cache counts; a worker that
dies has its share read by the parent."""

import json
import os
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from flows import ingest, ingest_parallel
from flows.ingest import ingest_files
from flows.ingest_cache import IngestCache


@pytest.fixture(autouse=True)
def _fork_for_a_few_files(monkeypatch):
    monkeypatch.setattr(ingest_parallel, "PARALLEL_MIN_FILES", 2)  # the bundled sample has 5 rosters


def _ingest(folders: dict[str, Path], workers: int, cache: Path | None = None
            ) -> tuple[dict[str, Any], str, list[IngestCache]]:
    con = duckdb.connect()
    reports, caches = [], []
    for dataset, folder in folders.items():
        c = IngestCache(cache, dataset) if cache else None
        reports += ingest_files(con, dataset, [str(folder)], {"warehouse": {"workers": workers}}, 2568, cache=c)
        caches += [c] if c else []
    tables = {t: con.execute(f"select * from {t}").fetchall() for t in ("raw_columns", *(f"raw_{d}" for d in folders))}
    tables |= {f"describe raw_{d}": con.execute(f"describe raw_{d}").fetchall() for d in folders}
    con.close()
    return tables, json.dumps([r.as_dict() for r in reports], ensure_ascii=False), caches


def _pids(log: Path) -> set[str]:
    pids = set(log.read_text().split()) if log.exists() else set()
    log.unlink(missing_ok=True)
    return pids


def test_the_bundled_sample_read_in_processes_equals_a_serial_read(sample_dir, readers_seen):
    folders = {"roster": sample_dir / "rosters", "poverty": sample_dir / "poverty"}
    serial, serial_reports, _ = _ingest(folders, workers=1)
    assert _pids(readers_seen) == {str(os.getpid())}
    for workers in (2, 3):
        tables, reports, _ = _ingest(folders, workers)
        assert len(_pids(readers_seen)) > 1  # the parent and worker processes read a share each
        assert tables == serial  # rows, their order, column types; raw_columns too
        assert reports == serial_reports
    assert sum(len(rows) for name, rows in serial.items() if name == "raw_roster") > 0


def _hostile_folder(sample_dir: Path, folder: Path) -> Path:
    """The sample rosters with a copy of one (a duplicate), a file that is no table and its copy (both rejected:
    a rejected file's copy is read again), an empty file, a roster with no name column, and the poverty Parquet."""
    folder.mkdir()
    for f in sorted((sample_dir / "rosters").iterdir()):
        shutil.copy(f, folder / f.name)
    shutil.copy(sample_dir / "rosters" / "fund_310108_utf8bom.csv", folder / "zz_copy_of_310108.csv")
    (folder / "garbage.csv").write_bytes(b"\x00\x01\x02 not a table \xff\xfe" * 50)
    (folder / "garbage_again.csv").write_bytes((folder / "garbage.csv").read_bytes())
    (folder / "empty.csv").write_bytes(b"")
    (folder / "no_names.csv").write_text("เลขบัตรประชาชน,หมายเหตุ\n1234567890123,x\n", encoding="utf-8")
    shutil.copy(sample_dir / "poverty" / "tpmap_extract_2567_part2.parquet", folder / "extract.parquet")
    return folder


def test_rejected_and_duplicate_files_are_reported_as_a_serial_read_reports_them(sample_dir, tmp_path, readers_seen):
    folders = {"roster": _hostile_folder(sample_dir, tmp_path / "rosters")}
    serial, serial_reports, _ = _ingest(folders, workers=1)
    statuses = {r["name"]: (r["status"], r["reason"]) for r in json.loads(serial_reports)}
    assert statuses["zz_copy_of_310108.csv"][1] == "same content as fund_310108_utf8bom.csv, not read twice"
    assert statuses["garbage.csv"][0] == statuses["garbage_again.csv"][0] == statuses["empty.csv"][0] == "rejected"
    assert statuses["no_names.csv"][0] == "rejected"
    _pids(readers_seen)
    for workers in (2, 4):
        tables, reports, _ = _ingest(folders, workers)
        assert len(_pids(readers_seen)) > 1
        assert tables == serial
        assert reports == serial_reports


def test_files_read_in_processes_fill_the_cache_and_count_each_file_once(sample_dir, tmp_path, readers_seen):
    folders = {"roster": _hostile_folder(sample_dir, tmp_path / "rosters")}
    counts = {}
    for workers in (1, 2):
        cache_dir = tmp_path / f"cache_{workers}"
        cold, cold_reports, [cold_cache] = _ingest(folders, workers, cache_dir)
        warm, warm_reports, [warm_cache] = _ingest(folders, workers, cache_dir)
        assert cold == warm and cold_reports == warm_reports
        accepted = sum(r["status"] == "ingested" for r in json.loads(cold_reports))
        # one count per file read or loaded: not the duplicate; the rejected files, never cached, read again
        assert (cold_cache.hits, cold_cache.misses) == (0, 10)
        assert (warm_cache.hits, warm_cache.misses) == (accepted, 10 - accepted)
        counts[workers] = (cold, cold_reports, sorted(p.name for p in warm_cache.folder.iterdir()))
    assert counts[1] == counts[2]  # the same rows, reports and cache entries (names are keys: bytes, config, code)


def test_a_worker_that_dies_has_its_share_read_by_the_parent(sample_dir, tmp_path, monkeypatch):
    folders = {"roster": _hostile_folder(sample_dir, tmp_path / "rosters")}
    serial, serial_reports, _ = _ingest(folders, workers=1)
    parent, real, died = os.getpid(), ingest.read_file_rows, tmp_path / "died"

    def dies_in_a_worker(path: Path, *args: Any, **kwargs: Any) -> Any:
        if os.getpid() != parent:
            died.write_text(path.name)
            os._exit(9)  # killed, as by the kernel's out-of-memory killer: nothing sent back
        return real(path, *args, **kwargs)

    monkeypatch.setattr(ingest, "read_file_rows", dies_in_a_worker)
    tables, reports, _ = _ingest(folders, workers=3)
    assert died.exists()  # a worker did start reading and died
    assert tables == serial and reports == serial_reports


def test_few_files_or_one_worker_are_read_without_a_fork(monkeypatch):
    monkeypatch.setattr(ingest_parallel, "PARALLEL_MIN_FILES", 8)
    assert not ingest_parallel.forks(7, 2) and not ingest_parallel.forks(100, 1)
    assert ingest_parallel.forks(8, 2)
    monkeypatch.setattr(ingest_parallel.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert not ingest_parallel.forks(100, 2)


def test_shares_are_balanced_by_size_and_kept_in_file_order(tmp_path):
    # costliest first to the least loaded share; an XLSX byte costs three CSV bytes (0.82 vs 0.26 us measured)
    sizes = {0: ("csv", 900), 1: ("csv", 100), 2: ("csv", 100), 3: ("xlsx", 300), 4: ("csv", 500), 5: ("csv", 400)}
    files = {}
    for i, (suffix, size) in sizes.items():
        files[i] = tmp_path / f"f{i}.{suffix}"
        files[i].write_bytes(b"x" * size)
    assert ingest_parallel.shares(files, 2) == [[0, 2, 4], [1, 3, 5]]  # 900+100+500 vs 100+3*300+400
    assert ingest_parallel.shares(files, 3) == [[0, 1], [2, 3], [4, 5]]  # 1000, 1000, 900
