"""Publishing is one switch (issue 16, point 3): a run killed at any step leaves readers the whole old run or the
whole new one, and the next run removes what it left.

The kills are real (SIGKILL to a subprocess) at steps the publishing code marks (SAPHAN_PAUSE_AT) or while a
slowed file system (SAPHAN_SLOW_RENAME) sleeps before the switch's rename.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows import publish

ROOT = Path(__file__).resolve().parents[1]

# A child that writes run B's folder file by file, then publishes it; each step can be paused or slowed.
CHILD = """
import json, sys
from pathlib import Path
from flows import publish
out, run_id = Path(sys.argv[1]), sys.argv[2]
folder = publish.run_folder(out, run_id)
folder.mkdir(parents=True)
(folder / "links.parquet").write_text(run_id + " links")
publish.checkpoint(out, "writing")
(folder / "marts" / "coverage").mkdir(parents=True)
(folder / "marts" / "coverage" / "data_0.parquet").write_text(run_id + " marts")
(folder / "manifest.json").write_text(json.dumps({"run_id": run_id}))
publish.checkpoint(out, "written")
publish.switch_current(out, run_id)
publish.checkpoint(out, "switched")
"""


def _publish(out: Path, run_id: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", CHILD, str(out), run_id], cwd=ROOT,
                            env={**os.environ, **(env or {})})


def _wait_for(path: Path, proc: subprocess.Popen[bytes], limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while not (path.exists() or path.is_symlink()):
        assert proc.poll() is None, f"the child ended (code {proc.returncode}) before {path.name}"
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.01)


def _what_readers_see(out: Path) -> dict[str, str]:
    """Through today's top-level paths, as a user or `saphan query` would open them."""
    return {
        "manifest": json.loads((out / "manifest.json").read_text())["run_id"],
        "links": (out / "links.parquet").read_text().split()[0],
        "marts": (out / "marts" / "coverage" / "data_0.parquet").read_text().split()[0],
    }


@pytest.fixture
def published_a(tmp_path) -> Path:
    out = tmp_path / "out"
    proc = _publish(out, "A")
    assert proc.wait(timeout=60) == 0
    assert _what_readers_see(out) == {"manifest": "A", "links": "A", "marts": "A"}
    return out


@pytest.mark.parametrize(
    ("env", "kill_when"),
    [
        ({"SAPHAN_PAUSE_AT": "writing"}, ".paused-writing"),      # run B half written
        ({"SAPHAN_PAUSE_AT": "written"}, ".paused-written"),      # run B whole, not yet switched
        ({"SAPHAN_PAUSE_AT": "switch"}, ".paused-switch"),        # mid-switch: the new link made, not renamed
        ({"SAPHAN_SLOW_RENAME": "2"}, ".current-B"),              # a slow share, killed while it sleeps
        ({"SAPHAN_PAUSE_AT": "switched"}, ".paused-switched"),    # just after the switch
    ],
)
def test_a_kill_at_any_step_leaves_the_whole_old_or_the_whole_new_run(published_a, env, kill_when):
    out = published_a
    proc = _publish(out, "B", env)
    _wait_for(out / kill_when, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    seen = _what_readers_see(out)
    assert len(set(seen.values())) == 1, f"a mix of runs: {seen}"
    assert seen["manifest"] == ("B" if "switched" in kill_when else "A")
    removed = publish.clean_leftovers(out)  # what the next run does first, under its lock
    assert not list(out.glob(".current-*")) and not list(out.glob(".paused-*"))
    if kill_when == ".paused-writing":
        assert removed == ["runs/B"], "a half-written run folder is removed"
    assert _what_readers_see(out) == seen


def test_the_next_run_publishes_over_a_killed_one_and_prunes_old_folders(published_a):
    out = published_a
    proc = _publish(out, "B", {"SAPHAN_PAUSE_AT": "switch"})
    _wait_for(out / ".paused-switch", proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    publish.clean_leftovers(out)
    assert _publish(out, "C").wait(timeout=60) == 0
    assert _what_readers_see(out) == {"manifest": "C", "links": "C", "marts": "C"}
    assert publish.current_run(out) == "C"
    assert publish.prune_runs(out, keep=1) == ["A"]  # B (newer) is kept for inspection, A goes
    assert sorted(p.name for p in (out / "runs").iterdir()) == ["B", "C"]


def test_outputs_of_an_older_version_are_adopted_without_a_gap(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "links.parquet").write_text("old links")
    (out / "manifest.json").write_text(json.dumps({"run_id": "old"}))
    (out / "marts" / "coverage").mkdir(parents=True)
    (out / "marts" / "coverage" / "data_0.parquet").write_text("old marts")
    publish.ensure_links(out)
    assert _what_readers_see(out) == {"manifest": "old", "links": "old", "marts": "old"}
    assert publish.current_run(out) == publish.LEGACY_RUN
    assert _publish(out, "B").wait(timeout=60) == 0
    assert _what_readers_see(out) == {"manifest": "B", "links": "B", "marts": "B"}


def test_two_runs_never_write_one_output_folder_at_once(tmp_path):
    with publish.output_lock(tmp_path), pytest.raises(publish.OutputBusy, match="another saphan run"):
        with publish.output_lock(tmp_path):
            pass
    with publish.output_lock(tmp_path):  # released: the next run goes ahead
        pass


def test_published_names_cover_the_marts_and_reports():
    from flows import fix_lists, marts, reports

    assert {marts.MARTS_DIR, fix_lists.FIX_LISTS_DIR, reports.XLSX_NAME, reports.HTML_NAME} <= set(
        publish.PUBLISHED_NAMES)


def test_a_new_kind_of_output_is_linked_at_the_top_too(published_a):
    out = published_a
    folder = publish.run_folder(out, "B")
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps({"run_id": "B"}))
    (folder / "explain").mkdir()
    (folder / "explain" / "model.json").write_text("B model")
    publish.switch_current(out, "B")
    assert (out / "explain" / "model.json").read_text() == "B model"
