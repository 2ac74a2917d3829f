"""PDPA: shareable outputs carry pseudonymous keys only; without a key they are refused.

Everything a planner or an auditor can be handed (Parquet marts, XLSX, HTML, links.parquet, manifest.json, logs,
Prefect artifacts, error messages) is decoded to text and searched for every input citizen ID, as written and as
cleaned, and every full name. None may appear. Raw identifiers stay in the restricted raw_/stg_/std_/lkp_ tables.
"""

import argparse
import json
import logging
import re
import zipfile
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from test_marts import KEY, POVERTY, ROSTER, build_small_warehouse

from flows import cli_planners
from flows.marts import build_marts, write_marts
from flows.pseudonym_key import NO_KEY, PseudonymKeyError, load_key
from flows.query import QueryError, run_query
from flows.reports import write_reports
from flows.warehouse import connect


def shareable_text(paths: list[Path]) -> str:
    """Every shareable file decoded to text: Parquet values, XLSX cell XML, and plain text files."""
    parts = []
    for path in paths:
        if path.suffix == ".parquet":
            parts.append(json.dumps(pq.read_table(path).to_pylist(), ensure_ascii=False, default=str))
            parts.append(str(pq.read_metadata(path).metadata))
        elif path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                parts += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
        elif path.suffix in (".html", ".json", ".csv", ".txt", ".log"):
            parts.append(path.read_text(encoding="utf-8"))
        else:
            raise AssertionError(f"unexpected shareable file {path}")
    return "\n".join(parts)


def identifiers(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Citizen IDs as written and cleaned, and full names, from the restricted tables of a warehouse."""
    found: set[str] = set()
    tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    for dataset in ("roster", "poverty"):
        if f"raw_{dataset}" in tables:
            for cid, first, last, full in con.execute(
                f"select citizen_id, first_name, last_name, full_name from raw_{dataset}"
            ).fetchall():
                if cid and sum(ch.isdigit() or "๐" <= ch <= "๙" for ch in cid) >= 10:
                    found.add(cid.strip())
                if full and full.strip():
                    found.add(full.strip())
                if first and last and first.strip() and last.strip():
                    found |= {f"{first.strip()} {last.strip()}", f"{first.strip()}{last.strip()}"}
        for cid, first, last in con.execute(f"select cid, first_name, last_name from std_{dataset}").fetchall():
            if cid:
                found.add(cid)
            if first and last:
                found |= {f"{first} {last}", f"{first}{last}"}
    return found


def leaks(text: str, secrets: set[str]) -> list[str]:
    return sorted(s for s in secrets if s in text)


def _cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="saphan")
    cli_planners.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


def test_no_key_no_shareable_outputs(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("SAPHAN_PSEUDONYM_KEY", raising=False)
    with pytest.raises(PseudonymKeyError) as e:
        load_key({})
    assert str(e.value) == NO_KEY
    warehouse = tmp_path / "saphan.duckdb"
    with connect(warehouse) as con:
        build_small_warehouse(con)
    out = tmp_path / "reports"
    assert _cli(["report", "--warehouse", str(warehouse), "--out", str(out)]) == 2
    assert capsys.readouterr().err == f"saphan: error: {NO_KEY}\n"
    assert not out.exists() or not any(out.iterdir())
    with connect(warehouse) as con:
        tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    assert not tables & {"member_poverty", "poor_not_in_fund", "coverage", "fund_summary"}
    with pytest.raises(ValueError):
        with connect(warehouse) as con:
            build_marts(con, b"")


def test_a_run_without_a_key_is_refused_in_one_line_before_it_starts(tmp_path, monkeypatch, capsys):
    from flows.cli import main

    monkeypatch.delenv("SAPHAN_PSEUDONYM_KEY", raising=False)
    (tmp_path / "r.csv").write_text("ชื่อ,นามสกุล\nสมชาย,ใจดี\n", encoding="utf-8")
    code = main(["run", "--rosters", str(tmp_path / "r.csv"), "--poverty", str(tmp_path / "r.csv"),
                 "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and err == f"saphan: error: {NO_KEY} (or pass --no-marts to run without marts and reports)\n"
    assert not (tmp_path / "out").exists(), "nothing is written"


def test_the_key_fingerprint_tells_keys_apart_and_reveals_none():
    from flows.pseudonym_key import fingerprint

    assert fingerprint(KEY) == fingerprint(KEY) != fingerprint(KEY + b"x")
    assert len(fingerprint(KEY)) == 16 and KEY.hex()[:8] not in fingerprint(KEY)


def test_hand_built_outputs_hold_no_id_or_name(tmp_path, monkeypatch, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("SAPHAN_PSEUDONYM_KEY", KEY.decode())
    warehouse = tmp_path / "saphan.duckdb"
    with connect(warehouse) as con:
        build_small_warehouse(con)
        secrets = identifiers(con)
    assert len(secrets) >= 3 * (len(POVERTY) - 2)  # IDs and names were found to look for
    out = tmp_path / "out"
    assert _cli(["report", "--warehouse", str(warehouse), "--out", str(out)]) == 0  # builds the marts, key from env
    with connect(warehouse) as con:
        entries = write_marts(con, out)
    errors = []
    for sql in ("drop table std_roster", "select * from no_such_table"):
        with pytest.raises(QueryError) as e:
            run_query(warehouse, sql, "table")
        errors.append(str(e.value))
    files = sorted(p for p in out.rglob("*") if p.is_file())
    assert len(files) == len(entries) + 2
    text = shareable_text(files) + "\n".join(errors) + capsys.readouterr().out + caplog.text
    assert leaks(text, secrets) == []
    assert re.search(r"[0-9a-f]{32}", text)  # the pseudonymous keys are there instead
    # The restricted tables do hold them: the search would have found a leak.
    with duckdb.connect(str(warehouse), read_only=True) as con:
        restricted = json.dumps(con.execute("select * from std_roster").fetchall(), ensure_ascii=False, default=str)
    assert leaks(restricted, secrets) and ROSTER[0][4] in restricted


@pytest.mark.slow
def test_pipeline_outputs_logs_and_artifacts_hold_no_id_or_name(prefect_harness, tmp_path, monkeypatch, caplog,
                                                                 capfd):
    """The real flow on a small synthetic sample, then marts and reports; everything shareable is searched."""
    from prefect.client.orchestration import get_client

    from flows.pipeline import pipeline
    from flows.sample import write_sample

    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("SAPHAN_PSEUDONYM_KEY", KEY.decode())
    inputs, out = tmp_path / "inputs", tmp_path / "out"
    write_sample(inputs, households=40, seed=11)
    manifest = pipeline([str(inputs / "rosters")], [str(inputs / "poverty")], str(out))
    warehouse = out / "saphan.duckdb"
    with connect(warehouse) as con:
        present = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
        if "member_poverty" not in present:  # until the flow builds the marts itself
            build_marts(con, load_key({}))
        if not (out / "marts").exists():
            write_marts(con, out)
        secrets = identifiers(con)
    if not list(out.glob("*.html")):
        with connect(warehouse) as con:
            write_reports(con, out)
    assert len(secrets) > 100
    errors = []
    for sql in ("delete from std_roster", "select cid from std_roster where"):
        with pytest.raises(QueryError) as e:
            run_query(warehouse, sql, "table")
        errors.append(str(e.value))
    with get_client(sync_client=True) as client:
        logs = [log.message for log in client.read_logs()]
        artifacts = [json.dumps(a.model_dump(mode="json"), ensure_ascii=False) for a in client.read_artifacts()]
    # Restricted by design, for analysts only: the warehouse, and quarantine.parquet (rejected rows' raw values,
    # so they can be fixed at the source; its raw_values column is marked PII in its contract).
    restricted = {"saphan.duckdb", "quarantine.parquet"}
    # The state folder (0700) keeps copies of the inputs for audits: restricted as the inputs are. Dot files are
    # the run's lock.
    # fix_lists/<fund>.xlsx go back to each fund to correct its own rows: restricted like quarantine, by design.
    shareable = sorted(p for p in out.rglob("*") if p.is_file() and p.name not in restricted
                       and "state" not in p.relative_to(out).parts and "fix_lists" not in p.relative_to(out).parts
                       and not p.name.startswith("."))
    names = {p.name for p in shareable}
    assert {"links.parquet", "manifest.json"} <= names and any(p.suffix == ".xlsx" for p in shareable)
    assert any("marts" in p.parts for p in shareable)
    captured = capfd.readouterr()
    sources = {str(p.relative_to(out)): shareable_text([p]) for p in shareable} | {
        "manifest (returned)": json.dumps(manifest, ensure_ascii=False, default=str),
        "error messages": "\n".join(errors),
        "Prefect logs": "\n".join(logs),
        "Prefect artifacts": "\n".join(artifacts),
        "captured logging": caplog.text,
        "stdout/stderr": captured.out + captured.err,
    }
    found = {name: leaks(text, secrets)[:3] for name, text in sources.items() if leaks(text, secrets)}
    assert found == {}
