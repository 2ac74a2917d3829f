"""The input check's first looks shared among forked processes (flows/cli_inspect._guesses) give the verdicts one
process gives, in the same words, and bring back what the workers judged, so the ingest after the check finds
the same values remembered as after a check made in one process."""

import os
from pathlib import Path

import pytest

from flows import ingest_parallel
from flows.cli_inspect import check_inputs
from transforms import column_evidence


@pytest.fixture(autouse=True)
def _fork_for_a_few_files(monkeypatch):
    monkeypatch.setattr(ingest_parallel, "PARALLEL_MIN_FILES", 2)  # the bundled sample has 5 rosters


def _checks(sample: Path, workers: int, monkeypatch: pytest.MonkeyPatch) -> tuple[list[list[str]], set[str]]:
    monkeypatch.setenv("SAPHAN_WORKERS", str(workers))
    rosters, poverty = str(sample / "rosters"), str(sample / "poverty")
    extract = str(next((sample / "poverty").iterdir()))
    column_evidence.forget_values()
    verdicts = [check_inputs([rosters], [poverty]), check_inputs([poverty], [rosters]),
                check_inputs([rosters, extract], [poverty])]
    return verdicts, set(column_evidence._KINDS)


def test_verdicts_and_judged_values_equal_a_check_in_one_process(sample_dir, monkeypatch, readers_seen):
    log = readers_seen
    serial, judged_serial = _checks(sample_dir, 1, monkeypatch)
    assert set(log.read_text().split()) == {str(os.getpid())}
    log.unlink()
    forked, judged_forked = _checks(sample_dir, 2, monkeypatch)
    assert len(set(log.read_text().split())) > 1  # some files were looked at in a worker
    assert forked == serial
    assert serial[0] == [] and "were --rosters and --poverty swapped?" in serial[1][0]
    assert len(serial[2]) == 1 and "looks like a poverty extract" in serial[2][0]
    assert judged_forked == judged_serial and len(judged_serial) > 100


def test_judged_since_gives_what_was_judged_after_the_mark_and_everything_after_an_emptying():
    column_evidence.forget_values()
    column_evidence.content_shares(["สมชาย", "3101200345671"])
    mark = column_evidence.memo_mark()
    column_evidence.content_shares(["สมชาย", "14/03/2510"])
    cleaned, kinds = column_evidence.judged_since(mark)
    assert [k for k, _ in kinds] == ["14/03/2510"] and [k for k, _ in cleaned] == ["14/03/2510"]
    column_evidence.forget_values()
    column_evidence.content_shares(["นาง"])
    assert [k for k, _ in column_evidence.judged_since(mark)[1]] == ["นาง"]  # emptied since the mark: all


def test_values_judged_elsewhere_are_kept_as_if_judged_here():
    column_evidence.forget_values()
    shares = column_evidence.content_shares(["สมชาย", "14/03/2510", "นาง"])
    judged = column_evidence.judged_since((-1, 0, 0))
    column_evidence.forget_values()
    column_evidence.remember_judged(judged)
    assert set(column_evidence._KINDS) == {"สมชาย", "14/03/2510", "นาง"}
    assert column_evidence.content_shares(["สมชาย", "14/03/2510", "นาง"]) == shares
