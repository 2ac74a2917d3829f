"""The command line: every command has help and a README entry; the quick commands start no flow."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from flows.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> dict[str, str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return {name: p.description or "" for name, p in sub.choices.items()}  # type: ignore[attr-defined]


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    helps = {c.dest: c.help for c in sub._choices_actions}
    assert set(helps) == set(_commands())
    for name, text in helps.items():
        assert text, f"saphan {name} has no help"
        assert f"saphan {name}" in readme, f"saphan {name} is not in the README"


@pytest.mark.parametrize("command", ["name", "address"])
def test_quick_commands_print_json_without_prefect(command):
    text = "นายสมชาย ใจดี" if command == "name" else "12/3 ม.4 ต.ในเมือง อ.เมือง จ.บุรีรัมย์"
    code = (
        "import sys; from flows.cli import main; rc = main([sys.argv[1], sys.argv[2]]); "
        "assert 'prefect' not in sys.modules, 'prefect imported'; sys.exit(rc)"
    )
    done = subprocess.run([sys.executable, "-c", code, command, text], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)


def test_bad_config_is_a_one_line_error(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[nonsense]\nx = 1\n", encoding="utf-8")
    code = main(["run", "--rosters", str(tmp_path), "--poverty", str(tmp_path), "--out", str(tmp_path / "o"),
                 "--config", str(bad)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "unknown section(s) nonsense" in err


def test_link_settings_are_checked_before_any_run(tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[link]\nlower = 0.95\nupper = 0.9\n", encoding="utf-8")
    code = main(["run", "--rosters", str(tmp_path), "--poverty", str(tmp_path), "--out", str(tmp_path / "o"),
                 "--config", str(cfg)])
    assert code == 2
    assert "[link] needs 0 <= lower <= upper <= 1" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "title", "canonical", "first", "last", "sex"),
    [
        ("นายสมชาย ใจดี", "นาย", "นาย", "สมชาย", "ใจดี", "M"),
        ("น.ส.สมศรี ณ อยุธยา", "น.ส.", "นางสาว", "สมศรี", "ณ อยุธยา", "F"),
        ("พ.ต.อ. ดร.สมชาย มีสุข", "พ.ต.อ. ดร.", "พ.ต.อ. ดร.", "สมชาย", "มีสุข", None),
        ("  สมชาย   ใจดี ", None, None, "สมชาย", "ใจดี", None),
        ("", None, None, None, None, None),
    ],
)
def test_name_report_shows_the_title_as_written_and_canonical(text, title, canonical, first, last, sex):
    from flows.cli import name_report

    report = name_report(text)
    assert (report["title"], report["canonical_title"], report["first_name"], report["last_name"]) == (
        title, canonical, first, last)
    assert report["implied_sex"] == sex
    kinds = ("lk82", "udom83", "metasound", "roman")
    assert set(report["keys"]) == {f"{part}_{k}" for part in ("first", "last") for k in kinds}


@pytest.mark.parametrize(
    ("toml", "named"),
    [
        ('[defaults]\nprovnce = "บุรีรัมย์"\n', "[defaults] setting(s) provnce"),
        ('[privacy]\nkeyfile = "/etc/k"\n', "[privacy] setting(s) keyfile"),
        ('[[sources]]\nmatch = "a*.csv"\n[[sources]]\nmatch = "b*.csv"\ncolums = {}\n',
         "[[sources]] #2 setting(s) colums"),
        ('[schedule]\ncron = "0 6 * * *"\ntimezon = "Asia/Bangkok"\n', "[schedule] setting(s) timezon"),
        ('[inputs]\nroster = ["inbox"]\n', "[inputs] setting(s) roster"),
        ("[link]\nuper = 0.9\n", "[link] setting(s) uper"),
        ('[warehouse]\nmemory = "4GB"\n', "[warehouse] setting(s) memory"),
        ("[run]\nallow_partail = true\n", "[run] setting(s) allow_partail"),
    ],
)
def test_an_unknown_setting_in_any_section_is_named(tmp_path, capsys, toml, named):
    from flows.config import ConfigError, load_config

    cfg = tmp_path / "c.toml"
    cfg.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(named)):
        load_config(cfg)
    assert main(["run", "--rosters", str(tmp_path), "--poverty", str(tmp_path), "--out", str(tmp_path / "o"),
                 "--config", str(cfg)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and named in err


def test_every_known_setting_is_accepted(tmp_path):
    from flows.config import load_config, run_settings

    cfg = tmp_path / "c.toml"
    cfg.write_text(
        '[defaults]\nprovince = "บุรีรัมย์"\ndistrict = "เมืองบุรีรัมย์"\n[privacy]\nkey_file = "/etc/k"\n'
        '[[sources]]\nmatch = "f*.xlsx"\ncolumns = { "ชื่อผู้สมัคร" = "full_name" }\nheader_rows = [3, 4]\n'
        'sheet = "Sheet1"\nfund = "กองทุน"\ndate_order = "dmy"\ndataset = "roster"\n'
        '[schedule]\ncron = "0 6 * * *"\ntimezone = "Asia/Bangkok"\ninterval_seconds = 60\npause_on_stop = false\n'
        '[inputs]\nrosters = ["r"]\npoverty = ["p"]\nout = "o"\n[link]\nlower = 0.5\nupper = 0.9\n'
        '[warehouse]\nmemory_limit = "1GB"\nthreads = 1\nworkers = 1\ntemp_directory = "/tmp"\n'
        "[run]\nallow_partial = true\nkeep_runs = 1\nkeep_inputs_days = 30\ncache = false\n",
        encoding="utf-8",
    )
    assert run_settings(load_config(cfg)) == {"allow_partial": True, "keep_runs": 1, "keep_inputs_days": 30,
                                              "cache": False}


def test_a_newline_in_a_file_name_cannot_split_or_forge_a_summary_line():
    from flows.cli import run_summary

    manifest = {"run_id": "r1", "match_methods": {"exact_id": 1}, "rejected_files": [], "outputs": [],
                "inputs": [{"dataset": "roster", "name": "fund.csv\nsaphan: all good", "rows_read": 2,
                            "accepted": 2, "quarantined": 0}]}
    lines = run_summary(manifest, Path("out")).splitlines()
    assert len(lines) == 5 and "fund.csv\\nsaphan: all good" in lines[1]
