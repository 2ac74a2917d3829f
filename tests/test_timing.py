"""The run's timing recorder (flows/timing.py): nesting, threads, runs apart, the printed summary."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context

import pytest

from flows import timing


@pytest.fixture(autouse=True)
def fresh():
    timing.reset()
    yield
    timing.reset()


def test_steps_nest_by_context_and_add_up_over_calls():
    with timing.timed("standardise.roster"):
        for _ in range(3):
            with timing.timed("name_part"):
                time.sleep(0.01)
        with timing.timed("address"):
            pass
    with timing.timed("link"):
        pass
    recorded = timing.steps()
    assert list(recorded) == ["standardise.roster", "standardise.roster.name_part", "standardise.roster.address",
                              "link"]  # the order the run reached them, parents first
    part = recorded["standardise.roster.name_part"]
    assert part.calls == 3 and part.seconds >= 0.03
    assert recorded["standardise.roster"].seconds >= part.seconds
    assert all(s.cpu_seconds >= 0 for s in recorded.values())


def test_a_decorated_function_nests_under_the_step_that_calls_it():
    @timing.timed("parquet")
    def write() -> int:
        return 7

    assert write() == 7  # top level when nothing is open
    with timing.timed("publish"):
        write()
    assert timing.steps()["parquet"].calls == 1
    assert timing.steps()["publish.parquet"].calls == 1


def test_threads_record_side_by_side_and_nest_under_the_submitting_step():
    def work(i: int, barrier: threading.Barrier) -> None:
        with timing.timed(f"part{i % 2}"):
            barrier.wait(timeout=5)  # every thread inside a step at once
            time.sleep(0.01)

    four, two = threading.Barrier(4), threading.Barrier(2)
    with timing.timed("link"), ThreadPoolExecutor(4) as pool:  # as Prefect does: the caller's context copied
        for future in [pool.submit(copy_context().run, work, i, four) for i in range(4)]:
            future.result()
    with ThreadPoolExecutor(2) as pool:  # a thread given no context starts at the top level
        list(pool.map(lambda i: work(i, two), range(2)))
    recorded = timing.steps()
    assert recorded["link.part0"].calls == 2 and recorded["link.part1"].calls == 2
    assert recorded["part0"].calls == 1 and recorded["part1"].calls == 1


def test_a_failing_block_is_timed_and_closes_its_step():
    with pytest.raises(ValueError), timing.timed("ingest"):
        raise ValueError("bad file")
    with timing.timed("link"):
        pass
    assert set(timing.steps()) == {"ingest", "link"}  # "link" is not nested under the failed step


def test_seconds_since_a_mark_are_one_runs_steps():
    with timing.timed("ingest"):
        pass
    since = timing.mark()
    timing.add("process.start", 1.5, 0.4)
    with timing.timed("link"):
        time.sleep(0.02)
    with timing.timed("ingest"):
        pass
    run = timing.seconds(since=since)
    assert set(run) == {"process.start", "link", "ingest"}
    assert run["process.start"] == 1.5 and run["link"] >= 0.02
    assert timing.seconds(since=since, cpu=True)["process.start"] == 0.4
    assert timing.steps()["ingest"].calls == 2


def test_a_run_scope_is_where_its_run_began():
    with timing.timed("process.checks"):
        pass
    with timing.run_scope():
        with timing.timed("process.checks"):
            pass
        began = timing.run_mark()  # as the flow asks, later in the run
        with timing.timed("link"):
            pass
        assert set(timing.seconds(since=began)) == {"process.checks", "link"}
        assert timing.steps()["process.checks"].calls == 2 and began["process.checks"].calls == 1
    assert timing.run_mark()["link"].calls == 1  # outside a scope: now


def test_roots_are_the_steps_no_other_step_contains():
    recorded = {"process.start": 1.0, "ingest.roster": 2.0, "ingest.roster.csv": 1.5, "link": 3.0,
                "link.splink predict": 2.0, "history": 0.5, "history.fingerprints": 0.4}
    assert timing.roots(recorded) == ["process.start", "ingest.roster", "link", "history"]


def test_the_summary_line_names_the_biggest_leaves_and_parents_rest():
    recorded = {"ingest.roster": 2.0, "ingest.roster.csv": 1.5, "link": 3.0, "link.splink predict": 2.5,
                "publish": 4.0, "publish.xlsx": 3.2, "publish.html": 0.1}
    line = timing.summary_line(recorded, 10.04, n=3)
    assert line == "time 10.0 s; most in: publish.xlsx 3.2, link.splink predict 2.5, ingest.roster.csv 1.5"
    assert "publish (rest) 0.7" in timing.summary_line(recorded, 10.0, n=10)


def test_the_table_indents_children_and_gives_shares():
    timing.add("link", 4.0, 3.0)
    timing.add("link.splink predict", 2.0, 1.5)
    text = timing.table(timing.steps(), total=8.0)
    lines = text.splitlines()
    assert lines[1].startswith("link ") and lines[1].split()[-2] == "50%"  # then the peak MB
    assert lines[2].startswith("  splink predict")
    assert lines[-1].startswith("whole process so far")


def test_process_age_is_the_time_since_this_process_started():
    age = timing.process_age()
    assert 0 < age < 24 * 3600


def test_each_step_records_the_peak_memory_reached_by_its_end():
    with timing.timed("small"):
        pass
    before = timing.peak_rss_mb()
    with timing.timed("big"):
        block = bytearray(300 * 1024 * 1024)  # touched (zero-filled): resident
        del block
    recorded = timing.steps()
    assert recorded["small"].peak_rss_mb <= before
    assert recorded["big"].peak_rss_mb >= before and recorded["big"].peak_rss_mb >= 300
    assert "peak MB" in timing.table(recorded).splitlines()[0]
