"""Where a run's time goes: a process-wide recorder of named steps, their wall and CPU seconds.

    with timed("standardise.roster"):       # a step timed inside it is named "standardise.roster.<its name>"
        ...

    @timed("parquet")                        # as a decorator: each call is one more entry of the step
    def write_parquet(con, out): ...

Steps nest by context (a ContextVar), so a step opened in a Prefect task's worker thread nests under the step that
was open where the task was submitted (Prefect copies the context into its threads). A step entered many times (one
file read after another) adds up: ``seconds`` is the sum, ``calls`` the count. The recorder is shared by every
thread of the process and guarded by a lock; it keeps names and seconds only, never a value of the data.

CPU seconds are the whole process's (all its threads) plus its finished child processes (the standardise stage's
workers): when threads work side by side, a step's CPU includes theirs. On a shared machine CPU seconds are the
steadier figure; wall seconds are what a user waits.

A run's steps are those recorded since it began: ``run_scope()`` (the command line, around everything a run does
from its checks to its Prefect server's stop) or, without one, from when the flow called ``run_mark()``. Steps
under ``process`` are the process's own (its start, its command line): recorded once, by its first run.
"""

import os
import resource
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PROCESS", "Step", "add", "cpu_seconds", "mark", "peak_rss_mb", "process_age", "reset", "roots", "run_mark",
           "run_scope", "seconds", "steps", "summary_line", "table", "timed"]

PROCESS = "process"


@dataclass
class Step:
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    calls: int = 0
    peak_rss_mb: float = 0.0  # the process's peak resident memory when the step last ended (never goes down)


_lock = threading.Lock()
_steps: dict[str, Step] = {}  # first entry order: the order a run went through its steps
_parent: ContextVar[str] = ContextVar("saphan_timing_parent", default="")
_run_since: ContextVar["dict[str, Step] | None"] = ContextVar("saphan_timing_run", default=None)


def cpu_seconds() -> float:
    """CPU seconds of this process (every thread) and its finished child processes, so far."""
    usages = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usages)


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports ru_maxrss in KB).

    Read at each step's end: the first step whose figure reaches the run's final peak is where memory peaked."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _entry(name: str) -> Step:
    with _lock:
        return _steps.setdefault(name, Step())


def add(name: str, seconds: float, cpu_seconds: float = 0.0) -> None:
    """Record a step measured some other way (the process's start, before Python ran this module)."""
    step = _entry(name)
    with _lock:
        step.seconds += seconds
        step.cpu_seconds += cpu_seconds
        step.calls += 1
        step.peak_rss_mb = peak_rss_mb()


@contextmanager
def timed(name: str) -> Iterator[None]:
    """Time the block (or, as a decorator, each call) as step ``name`` under the step open around it."""
    parent = _parent.get()
    full = f"{parent}.{name}" if parent else name
    _entry(full)  # entered now, so the table lists steps in the order the run reached them
    token = _parent.set(full)
    wall, cpu = time.perf_counter(), cpu_seconds()
    try:
        yield
    finally:
        _parent.reset(token)
        add(full, time.perf_counter() - wall, cpu_seconds() - cpu)


def steps() -> dict[str, Step]:
    """A copy of every step recorded so far, in first-entry order."""
    with _lock:
        return {k: Step(v.seconds, v.cpu_seconds, v.calls, v.peak_rss_mb) for k, v in _steps.items()}


def mark() -> dict[str, Step]:
    """The recorder now, to subtract later: ``seconds(since=mark())`` gives a run's own steps."""
    return steps()


@contextmanager
def run_scope() -> Iterator[None]:
    """Everything recorded inside belongs to one run: ``run_mark()`` inside it is the recorder as it was here."""
    token = _run_since.set(mark())
    try:
        yield
    finally:
        _run_since.reset(token)


def run_mark() -> dict[str, Step]:
    """Where the current run began: the enclosing ``run_scope()``'s mark, else now (a flow called directly)."""
    began = _run_since.get()
    return mark() if began is None else began


def _since(before: Mapping[str, Step] | None) -> dict[str, Step]:
    now = steps()
    if before is None:
        return now
    out = {}
    for name, s in now.items():
        b = before.get(name, Step())
        if s.calls > b.calls:
            out[name] = Step(s.seconds - b.seconds, s.cpu_seconds - b.cpu_seconds, s.calls - b.calls, s.peak_rss_mb)
    return out


def seconds(since: Mapping[str, Step] | None = None, cpu: bool = False) -> dict[str, float]:
    """Step name -> wall seconds (CPU seconds with ``cpu``), rounded to 0.01; steps since a ``mark()`` if given."""
    return {k: round(v.cpu_seconds if cpu else v.seconds, 2) for k, v in _since(since).items()}


def reset() -> None:
    """Forget every step (tests)."""
    with _lock:
        _steps.clear()


def process_age() -> float:
    """Seconds since this process started (the kernel's start time: before the interpreter and its imports).

    Linux only (/proc); elsewhere 0.0, so the process's start is simply not reported.
    """
    try:
        stat = Path("/proc/self/stat").read_text()
        started = int(stat[stat.rindex(")") + 2:].split()[19])  # field 22: start time in clock ticks after boot
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return max(0.0, uptime - started / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


def roots(recorded: Mapping[str, object]) -> list[str]:
    """The steps no other recorded step contains ("ingest.roster" when no step "ingest" was recorded): their
    seconds add up to the time the steps cover, without counting a child twice."""
    def _inside(name: str) -> bool:
        parts = name.split(".")
        return any(".".join(parts[:i]) in recorded for i in range(1, len(parts)))

    return [name for name in recorded if not _inside(name)]


def _leaves(recorded: Mapping[str, float]) -> dict[str, float]:
    """Each step without children, and each parent's time outside its children as "<parent> (rest)"."""
    out = {}
    for name, value in recorded.items():
        children = [v for k, v in recorded.items() if k.startswith(name + ".") and "." not in k[len(name) + 1:]]
        if not children:
            out[name] = value
        elif value - sum(children) >= 0.05:
            out[f"{name} (rest)"] = value - sum(children)
    return out


def summary_line(recorded: Mapping[str, float], total: float, n: int = 5) -> str:
    """One line for the end of a run: the total and the ``n`` biggest steps (leaves, and parents' rest).

    Example: ``summary_line({"link": 3.0, "link.predict": 2.5, "ingest": 1.0}, 5.2)`` ->
    'time 5.2 s; most in: link.predict 2.5, ingest 1.0, link (rest) 0.5'
    """
    biggest = sorted(_leaves(recorded).items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return f"time {total:.1f} s; most in: " + ", ".join(f"{k} {v:.1f}" for k, v in biggest)


def table(recorded: Mapping[str, Step], total: float | None = None) -> str:
    """Every step, indented under its parent, with wall and CPU seconds, calls, share of ``total`` and the process's
    peak memory when the step ended (MB)."""
    lines = [f"{'step':<52}{'wall s':>9}{'CPU s':>9}{'calls':>7}{'share':>7}{'peak MB':>9}"]
    for name, s in recorded.items():
        parent, _, last = name.rpartition(".")
        parts = name.split(".")
        depth = sum(".".join(parts[:i]) in recorded for i in range(1, len(parts)))
        label = "  " * depth + (last if parent in recorded else name)  # no parent line: the full name
        share = f"{100 * s.seconds / total:.0f}%" if total else ""
        lines.append(f"{label[:52]:<52}{s.seconds:>9.2f}{s.cpu_seconds:>9.2f}{s.calls:>7}{share:>7}{s.peak_rss_mb:>9.0f}")
    if total is not None:
        lines.append(f"{'whole process so far':<52}{total:>9.2f}")
    return "\n".join(lines)
