"""Runs that never leak, lie or linger (issue 16, points 2, 5, 7 and 9), each a real `saphan run` in its own process
with its own Prefect home, so everything Prefect wrote (its SQLite database included) can be searched afterwards.

Inputs are written here in the form fund committees send them (Thai headers, titles, IDs with valid check digits);
the IDs and names of the rows that fail are searched for, as bytes, in stdout, stderr, every file under the run's
PREFECT_HOME and every shareable output. After each run no process that inherited the run's environment (the
temporary Prefect server, Dask workers) may be left.
"""

import csv
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
HEADER = ["ลำดับ", "คำนำหน้า", "ชื่อ", "นามสกุล", "เลขประจำตัวประชาชน", "บ้านเลขที่", "หมู่ที่", "ตำบล", "อำเภอ", "จังหวัด"]
FIRST = ["สมชาย", "สมศรี", "บุญมี", "มาลี", "ประยูร", "สุดา", "วิชัย", "อำไพ", "ทองดี", "คำปุน", "บัวผัน", "สมบัติ"]
LAST = ["ใจดี", "ศรีสุข", "บุญมา", "แสงทอง", "พรหมมา", "จันทร์เพ็ง"]
SUBDISTRICTS = [("ในเมือง", "310101"), ("อิสาณ", "310102"), ("เสม็ด", "310103")]
# The rows that fail: their IDs and names must appear nowhere but in the restricted warehouse.
SECRET_ROWS = [["นาย", "ประเสริฐ", "วงศ์ใหญ่", "1101700203451"], ["นาง", "บุญเรือน", "ทองคำดี", "3310100456781"]]
SECRETS = ["1101700203451", "3310100456781", "1234567890121", "ประเสริฐ", "วงศ์ใหญ่", "บุญเรือน", "ทองคำดี",
           "สุริยา", "แก้วมณี"]


def _cid(n: int) -> str:
    body = f"3310{n:08d}"
    check = (11 - sum(int(d) * (13 - i) for i, d in enumerate(body)) % 11) % 10
    return body + str(check)


def _people() -> list[list[str]]:
    rows = []
    for i in range(36):
        sub, _code = SUBDISTRICTS[i % 3]
        title = "นาย" if i % 2 == 0 else "นาง"
        rows.append([title, FIRST[i % 12], LAST[i % 6], _cid(1000 + i), str(10 + i), str(1 + i % 5), sub])
    return rows


def write_inputs(folder: Path) -> tuple[Path, Path]:
    """A roster of 30 members (one file) and a poverty extract of 36 people, 30 of them members."""
    rosters, poverty = folder / "rosters", folder / "poverty"
    rosters.mkdir(parents=True)
    poverty.mkdir(parents=True)
    people = _people()
    with (rosters / "fund_310101.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for n, (title, first, last, cid, house, moo, sub) in enumerate(people[:30], 1):
            w.writerow([n, title, first, last, cid, house, moo, sub, "เมืองบุรีรัมย์", "บุรีรัมย์"])
    with (poverty / "tpmap_31.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["รหัสบ้าน", "เลขประจำตัวประชาชน", "คำนำหน้า", "ชื่อ", "นามสกุล", "บ้านเลขที่", "หมู่ที่", "รหัสตำบล",
                    "มิติรายได้", "มิติสุขภาพ"])
        for i, (title, first, last, cid, house, moo, _sub) in enumerate(people):
            w.writerow([f"3101{i:07d}", cid, title, first, last, house, moo, SUBDISTRICTS[i % 3][1], i % 2, 0])
    return rosters, poverty


def write_secret_roster(path: Path, broken: bool) -> None:
    """A roster naming the secret people; ``broken``: UTF-8 with a BOM and one invalid byte after 80 good rows."""
    lines = [",".join(HEADER)]
    for n in range(80):
        title, first, last, cid = SECRET_ROWS[n % 2]
        lines.append(",".join([str(n + 1), title, first, last, cid, "5", "2", "ในเมือง", "เมืองบุรีรัมย์", "บุรีรัมย์"]))
    data = "\ufeff".encode() + ("\n".join(lines) + "\n").encode()
    if broken:
        data += "81,นาย,สุริยา,แก้วมณี,".encode() + b"\xff" + "1234567890121,7,1,ในเมือง,เมืองบุรีรัมย์,บุรีรัมย์\n".encode()
    path.write_bytes(data)


def saphan(tmp: Path, args: list[str], prelude: str = "", env: dict[str, str] | None = None
           ) -> tuple[subprocess.CompletedProcess[str], str]:
    """`saphan ARGS` in a new process with its own PREFECT_HOME (tmp/.prefect) and a mark in its environment."""
    mark = uuid.uuid4().hex
    run_env = {**os.environ, "PREFECT_HOME": str(tmp / ".prefect"), "SAPHAN_RUN_MARK": mark,
               "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "600", **(env or {})}
    run_env.pop("PREFECT_API_URL", None)
    code = prelude + "\nimport sys\nfrom flows.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=run_env, capture_output=True,
                          text=True, timeout=1200)
    return done, mark


def processes_left(mark: str, grace: float = 15.0) -> list[str]:
    """Processes still alive whose environment carries the run's mark (a server, a Dask worker), after a grace."""
    deadline = time.monotonic() + grace
    while True:
        left = []
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            try:
                if f"SAPHAN_RUN_MARK={mark}".encode() in (proc / "environ").read_bytes():
                    left.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:120])
            except OSError:
                continue
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.5)


def found_secrets(texts: dict[str, bytes]) -> dict[str, list[str]]:
    """Which secrets appear in which text, as UTF-8 bytes or JSON-escaped (\\u0e1b...), the way SQLite keeps them."""
    found = {}
    for where, data in texts.items():
        hits = [s for s in SECRETS if s.encode() in data or json.dumps(s)[1:-1].encode() in data]
        if hits:
            found[where] = hits
    return found


def shareable_files(out: Path) -> dict[str, bytes]:
    """Every output but the restricted warehouse and quarantine, and the private state folder."""
    restricted = {"saphan.duckdb", "quarantine.parquet", "address_review.parquet"}
    return {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*")
            if p.is_file() and p.name not in restricted and "state" not in p.relative_to(out).parts
            and "fix_lists" not in p.relative_to(out).parts}  # fix lists are restricted, like quarantine


def everything_prefect_kept(tmp: Path) -> dict[str, bytes]:
    files = {str(p.relative_to(tmp)): p.read_bytes() for p in (tmp / ".prefect").rglob("*") if p.is_file()}
    assert any(name.endswith(".db") for name in files), "the run's Prefect database is searched"
    return files


@pytest.fixture
def inputs(tmp_path) -> tuple[Path, Path]:
    return write_inputs(tmp_path / "inputs")


def test_a_file_that_fails_to_decode_leaks_no_id_or_name_anywhere(tmp_path, inputs):
    rosters, poverty = inputs
    write_secret_roster(rosters / "fund_bad_bom.csv", broken=True)
    out = tmp_path / "out"
    done, mark = saphan(tmp_path, ["run", "--rosters", str(rosters), "--poverty", str(poverty), "--out", str(out)])
    assert done.returncode != 0, "a file that cannot be read fully is not published over good outputs"
    assert "Traceback" not in done.stderr
    texts = {"stdout": done.stdout.encode(), "stderr": done.stderr.encode()}
    texts |= everything_prefect_kept(tmp_path) | shareable_files(out)
    assert found_secrets(texts) == {}
    assert processes_left(mark) == [], "a failed run left a process behind"


def test_a_task_that_raises_with_an_id_in_its_message_leaks_it_nowhere(tmp_path, inputs):
    rosters, poverty = inputs
    write_secret_roster(rosters / "fund_secret.csv", broken=False)
    prelude = (
        "import flows.pipeline as p\n"
        "def boom(con, dataset, config, *args, **kwargs):\n"
        "    raise ValueError('row 7 of fund_secret.csv: 1101700203451 ประเสริฐ วงศ์ใหญ่ does not parse')\n"
        "p.standardise = boom\n"
    )
    out = tmp_path / "out"
    done, mark = saphan(tmp_path, ["run", "--rosters", str(rosters), "--poverty", str(poverty), "--out", str(out)],
                        prelude)
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        "saphan: error: run failed: ValueError (message withheld: it may quote the data)")
    assert "Traceback" not in done.stderr
    texts = {"stdout": done.stdout.encode(), "stderr": done.stderr.encode()}
    texts |= everything_prefect_kept(tmp_path) | shareable_files(out)
    assert found_secrets(texts) == {}
    assert not (out / "runs").is_dir() or not list((out / "runs").iterdir()), "a failed run leaves no folder"
    assert processes_left(mark) == [], "a failed run left a process behind"


def test_a_whole_run_into_a_folder_with_a_quote_a_space_and_thai(tmp_path, inputs):
    rosters, poverty = inputs
    out = tmp_path / "a b's ก"
    done, mark = saphan(tmp_path, ["run", "--rosters", str(rosters), "--poverty", str(poverty), "--out", str(out)])
    assert done.returncode == 0, done.stderr[-2000:]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["published"] is True and len(manifest["pseudonym_key_fingerprint"]) == 16
    assert list((out / "marts").rglob("*.parquet")), "marts written through the odd path"
    query, _ = saphan(tmp_path, ["query", "select count(*) as n from links", "--warehouse",
                                 str(out / "saphan.duckdb"), "--format", "json"])
    assert query.returncode == 0 and json.loads(query.stdout) == [{"n": 30}]
    assert processes_left(mark) == [], "a normal run left a process behind"


def test_a_dask_run_without_marts_needs_no_key_and_leaves_no_process(tmp_path, inputs):
    rosters, poverty = inputs
    env = {k: v for k, v in os.environ.items() if k != "SAPHAN_PSEUDONYM_KEY"}
    out = tmp_path / "out"
    args = ["run", "--rosters", str(rosters), "--poverty", str(poverty), "--out", str(out), "--task-runner", "dask"]
    mark = uuid.uuid4().hex
    refused = subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, capture_output=True, text=True,
                             env={**env, "SAPHAN_RUN_MARK": mark, "PREFECT_HOME": str(tmp_path / ".prefect")})
    assert refused.returncode == 2 and "no pseudonym key" in refused.stderr and "--no-marts" in refused.stderr
    done, mark = saphan(tmp_path, [*args, "--no-marts"], env={"SAPHAN_PSEUDONYM_KEY": ""})
    assert done.returncode == 0, done.stderr[-2000:]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["marts_skipped"] == "not asked for (--no-marts)" and manifest["pseudonym_key_fingerprint"] is None
    assert processes_left(mark) == [], "a Dask run left a process behind"


def _mount_tmpfs(path: Path, options: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True
                          ).returncode == 0


def test_a_read_only_output_folder_is_one_line(tmp_path, inputs):
    rosters, poverty = inputs
    out = tmp_path / "ro"
    if not _mount_tmpfs(out, "ro,size=1m"):
        pytest.skip("cannot mount a read-only file system here")
    try:
        done, _ = saphan(tmp_path, ["run", "--rosters", str(rosters), "--poverty", str(poverty), "--out",
                                    str(out / "o")])
    finally:
        subprocess.run(["umount", str(out)], check=False)
    assert done.returncode == 2
    assert done.stderr == f"saphan: error: cannot write to the output folder {out / 'o'}: Read-only file system\n"


def test_a_full_disk_mid_run_is_one_line(tmp_path, inputs):
    rosters, poverty = inputs
    out = tmp_path / "full"
    if not _mount_tmpfs(out, "size=600k"):
        pytest.skip("cannot mount a small file system here")
    try:
        done, mark = saphan(tmp_path, ["run", "--rosters", str(rosters), "--poverty", str(poverty), "--out",
                                       str(out)])
        left_behind = sorted(p.name for p in (out / "runs").iterdir()) if (out / "runs").is_dir() else []
    finally:
        subprocess.run(["umount", str(out)], check=False)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    last = done.stderr.splitlines()[-1]
    assert last.startswith("saphan: error: run failed: ") and "No space left on device" in last, last
    assert left_behind == [], "the failed run's folder is removed"
    assert processes_left(mark) == []


def test_a_real_run_killed_mid_switch_leaves_the_old_run_whole_and_no_server(tmp_path, inputs):
    from flows import history, publish

    rosters, poverty = inputs
    out = tmp_path / "out"
    args = ["run", "--rosters", str(rosters), "--poverty", str(poverty), "--out", str(out), "--no-reports"]
    first, _ = saphan(tmp_path, args)
    assert first.returncode == 0, first.stderr[-2000:]
    old = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["run_id"]
    mark = uuid.uuid4().hex
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / ".prefect"), "SAPHAN_RUN_MARK": mark,
           "SAPHAN_PAUSE_AT": "switch", "SAPHAN_SLOW_RENAME": "0.5",
           "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "600"}
    env.pop("PREFECT_API_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 1200
    while not (out / ".paused-switch").exists():
        assert proc.poll() is None and time.monotonic() < deadline, "the run ended before its switch"
        time.sleep(0.2)
    proc.kill()  # SIGKILL: no handler, no atexit
    proc.wait()
    assert processes_left(mark) == [], "the killed run's temporary server outlived it"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["run_id"] == old == publish.current_run(out)
    for o in manifest["outputs"]:  # every published file is the old run's, byte for byte
        if o["path"] != publish.WAREHOUSE_NAME:
            assert publish.sha256_file(out / o["path"]) == o["sha256"], o["path"]
    recorded = {m["run_id"] for m in history.list_runs(history.state_dir(out))}
    assert old in recorded and len(recorded) == 2, "the killed run was recorded before its switch"
    again, _ = saphan(tmp_path, args)
    assert again.returncode == 0, again.stderr[-2000:]
    new = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["run_id"]
    assert new != old and new in {m["run_id"] for m in history.list_runs(history.state_dir(out))}
    assert not list(out.glob(".current-*")) and not list(out.glob(".paused-*"))
