"""The link model kept and explained (issue 14 point 6): int_link_model, the run history's model.json, `[link] model`
reuse without training, `saphan explain` in words, and the match-weights chart as inline SVG.

The bundled sample (data/sample) is linked once, the model trained on it; the other tests reuse that warehouse.
"""

import argparse
import hashlib
import json
import re
import shutil
import tomllib
from pathlib import Path

import duckdb
import pytest

from flows import history
from flows.audit import _write_config
from flows.cli_explain import register
from flows.config import ConfigError, load_config
from flows.explain import explain_lines, find_record, level_words
from flows.ingest import ingest_files
from flows.link import link
from flows.link_model import rounded_model
from flows.model_chart import match_weights_svg
from flows.partition import link_by_province
from flows.standardise import standardise
from flows.warehouse import connect
from schemas.contracts import QUARANTINE


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Path:
    """data/sample ingested, standardised and linked: a warehouse whose model was trained (saphan.duckdb)."""
    folder = tmp_path_factory.mktemp("trained")
    with connect(folder / "saphan.duckdb") as con:
        con.execute("create table quarantine (" + ", ".join(f'"{c.name}" {c.type}' for c in QUARANTINE.columns)
                    + ")")
        for dataset, sub in (("roster", "rosters"), ("poverty", "poverty")):
            ingest_files(con, dataset, [str(sample_dir / sub)], {})
            standardise(con, dataset, {})
        link(con)
    return folder


def _model(warehouse: Path) -> tuple[str, str, str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("select status, model_json, sha256 from int_link_model").fetchall()[0]


def _m_u(model_json: str) -> list[tuple[str, str, float | None, float | None]]:
    return [(c["output_column_name"], lv["label_for_charts"], lv.get("m_probability"), lv.get("u_probability"))
            for c in json.loads(model_json)["comparisons"] for lv in c["comparison_levels"]]


def test_the_trained_model_is_in_the_warehouse_with_its_sha256(trained: Path) -> None:
    status, text, sha = _model(trained / "saphan.duckdb")
    assert status == "trained"
    assert sha == hashlib.sha256(text.encode("utf-8")).hexdigest()
    model = json.loads(text)
    assert "linker_uid" not in model  # Splink's random id: one model, one sha256
    assert [c["output_column_name"] for c in model["comparisons"]][:2] == ["first_name", "last_name"]
    trained_levels = [m for _, _, m, _ in _m_u(text) if m is not None]
    assert len(trained_levels) > 10 and all(0 <= m <= 1 for m in trained_levels)


def test_the_trained_model_is_rounded_so_reruns_give_the_same_bytes(trained: Path) -> None:
    # EM sums in DuckDB's threads in no fixed order; unrounded, m probabilities differ in their last bits run to run
    _, text, _ = _model(trained / "saphan.duckdb")
    probabilities = [p for _, _, m, u in _m_u(text) for p in (m, u) if isinstance(p, float)]
    assert probabilities and all(p == float(f"{p:.12g}") for p in probabilities)
    assert any(len(repr(p)) > 8 for p in probabilities)  # rounded to 12 digits, not to a handful
    raw = {"probability_two_random_records_match": 0.0028193476019710726, "comparisons": [
        {"output_column_name": "x", "comparison_levels": [
            {"m_probability": 0.002819347601971073, "u_probability": 4.0300774152594387e-10, "label_for_charts": "a"},
            {"is_null_level": True, "label_for_charts": "null"}]}]}
    assert rounded_model(raw)["comparisons"][0]["comparison_levels"] == [
        {"m_probability": 0.00281934760197, "u_probability": 4.03007741526e-10, "label_for_charts": "a"},
        {"is_null_level": True, "label_for_charts": "null"}]
    assert rounded_model(raw)["probability_two_random_records_match"] == 0.00281934760197


def test_a_recorded_run_keeps_model_json_and_its_manifest_names_it(trained: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(trained, out)
    manifest = {"run_id": "run-model-1", "parameters": {"out": str(out)}, "inputs": [],
                "outputs": [{"path": "saphan.duckdb", "rows": None, "sha256": "x"}]}
    folder = history.record_run(manifest, keep_inputs_days=0)
    kept = folder / "model.json"
    _, text, sha = _model(out / "saphan.duckdb")
    assert kept.read_text(encoding="utf-8") == text
    recorded = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["link_model"]
    assert recorded == [{"partition": "all", "status": "trained", "sha256": sha, "file": "model.json",
                         "source": "training"}]
    assert hashlib.sha256(kept.read_bytes()).hexdigest() == sha
    # an audit of a run that reused a model predicts with this copy, wherever the original file went
    run = {"run_id": "run-model-1", "parameters": {"config": {"link": {"model": "/gone/model.json", "seed": 7}},
                                                   "link_partition": "none"}}
    config = tomllib.loads(Path(str(_write_config(run, tmp_path, history.state_dir(out)))).read_text("utf-8"))
    assert config["link"] == {"model": str(kept), "seed": 7}


def _no_training(monkeypatch: pytest.MonkeyPatch) -> None:
    from splink.internals.linker_components.training import LinkerTraining

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a saved model was given: nothing may be trained")

    for name in ("estimate_u_using_random_sampling", "estimate_parameters_using_expectation_maximisation"):
        monkeypatch.setattr(LinkerTraining, name, refuse)


def test_link_model_reuses_a_saved_model_without_training_and_gives_the_same_links(
    trained: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, text, sha = _model(trained / "saphan.duckdb")
    model = tmp_path / "model.json"
    model.write_text(text, encoding="utf-8")
    copy = tmp_path / "reused.duckdb"
    shutil.copyfile(trained / "saphan.duckdb", copy)
    _no_training(monkeypatch)
    with connect(copy) as con:
        methods = link(con, model=str(model))
        status, reused_text, reused_sha = con.execute("select status, model_json, sha256 from int_link_model"
                                                      ).fetchall()[0]
        con.execute("attach ? as first (read_only)", [str(trained / "saphan.duckdb")])
        differ = {t: con.execute(f"select count(*) from (select * from {t} except all select * from first.{t}) "
                                 f"union all select count(*) from (select * from first.{t} except all "
                                 f"select * from {t})").fetchall() for t in ("links", "review")}
    assert status == "reused" and reused_sha == sha
    assert _m_u(reused_text) == _m_u(text)  # the model file's m and u are the run's model
    assert methods.get("probabilistic", 0) > 0
    assert differ == {"links": [(0,), (0,)], "review": [(0,), (0,)]}


def test_each_province_links_with_its_own_named_model(
    trained: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, text, sha = _model(trained / "saphan.duckdb")
    (tmp_path / "model-31.json").write_text(text, encoding="utf-8")
    copy = tmp_path / "provinces.duckdb"
    shutil.copyfile(trained / "saphan.duckdb", copy)
    _no_training(monkeypatch)
    with connect(copy) as con:
        link_by_province(con, tmp_path / "work", {"model": str(tmp_path / "model-{partition}.json")})
        rows = con.execute("select partition, status, sha256 from int_link_model").fetchall()
        pairs = con.execute("select count(*) from int_splink_pairs").fetchall()[0][0]
    assert rows == [("31", "reused", sha)]
    assert pairs > 0  # collected from the province, for `saphan explain`


def test_config_model_is_a_checked_path_next_to_the_config(trained: Path, tmp_path: Path) -> None:
    _, text, _ = _model(trained / "saphan.duckdb")
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "m.json").write_text(text, encoding="utf-8")
    config = tmp_path / "saphan.toml"
    config.write_text('[link]\nmodel = "models/m.json"\n', encoding="utf-8")
    assert load_config(config)["link"]["model"] == str((tmp_path / "models" / "m.json").resolve())
    other = json.loads(text)
    other["comparisons"] = other["comparisons"][:3]
    cases = {"missing.json": None, "not_json.json": "{", "other.json": json.dumps(other),
             "untrained.json": json.dumps({"comparisons": [{"output_column_name": "first_name"}]})}
    for name, content in cases.items():
        if content is not None:
            (tmp_path / name).write_text(content, encoding="utf-8")
        config.write_text(f'[link]\nmodel = "{name}"\n', encoding="utf-8")
        with pytest.raises(ConfigError, match=r"\[link\] model"):
            load_config(config)


@pytest.mark.parametrize(("field", "gamma", "weight", "side", "tf", "expected"), [
    ("first_name", 5, 8.24, None, 0.0, "first name: exact (+8.2 bits)"),
    ("first_name", 5, 9.4, None, -1.1, "first name: exact (+8.3 bits, of which -1.1 for how common the name is)"),
    ("last_name", 1, 2.0, None, 0.0, "last name: first/last swapped (+2.0 bits)"),
    ("last_name", 0, -3.44, None, 0.0, "last name: disagree (-3.4 bits)"),
    ("birth_year_be", 2, 2.14, None, 0.0, "birth year: within 1 year (+2.1 bits)"),
    ("birth_year_be", 3, 0.5, None, 0.0, "birth year: inside the age range (+0.5 bits)"),
    ("cid", -1, 0.0, "roster", 0.0, "ID: missing on the roster side (0)"),
    ("cid", -1, 0.0, "both", 0.0, "ID: missing on both sides (0)"),
    ("cid", 1, 5.1, None, 0.0, "ID: one typo or swap apart (+5.1 bits)"),
    ("subdistrict_code", 1, -6.6, None, 0.0, "area: same district (-6.6 bits)"),
    ("village_no", 2, 0.0, None, 0.0, "village (หมู่): other subdistrict (+0.0 bits)"),
    ("sex", None, None, None, 0.0, "sex: not compared (the model could not train it)"),
])
def test_levels_in_words(field: str, gamma: int | None, weight: float | None, side: str | None, tf: float,
                         expected: str) -> None:
    assert level_words(field, gamma, weight, side, tf) == expected


def _explain(warehouse: Path, *argv: str) -> tuple[int, str]:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["explain", *argv, "--warehouse", str(warehouse)])
    return args.func(args), ""


def _secrets(con: duckdb.DuckDBPyConnection, record_id: int) -> list[str]:
    first, last, cid = con.execute("select first_name, last_name, cid from std_roster where record_id = ?",
                                   [record_id]).fetchall()[0]
    return [s for s in (first, last, cid) if s]


def test_explain_a_probabilistic_link_in_words(trained: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warehouse = trained / "saphan.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        file, row, rid = con.execute("select roster_file, roster_row, roster_record_id from links "
                                     "where match_method = 'probabilistic' order by all limit 1").fetchall()[0]
        secrets = _secrets(con, rid)
    assert _explain(warehouse, file, str(row))[0] == 0
    text = capsys.readouterr().out
    assert "linked by probabilistic" in text and "model (all): trained, sha256" in text
    assert re.search(r"first name: [a-z /]+ \([+-]\d+\.\d bits", text)
    assert re.search(r"birth year: .+ \(", text) and re.search(r"prior \(two records taken at random\): -", text)
    assert re.search(r"match weight [+-]\d+\.\d bits: probability (0\.9|1\.0)", text)
    assert not any(s in text for s in secrets), "no name or ID without --show-names"
    assert _explain(warehouse, file, str(row), "--show-names")[0] == 0
    named = capsys.readouterr().out
    assert secrets and all(s in named for s in secrets)


def test_explain_names_the_vetoes_of_a_vetoed_candidate(trained: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warehouse = trained / "saphan.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        file, line, rid, vetoes = con.execute("""
            select l.roster_file, l.roster_line, l.roster_record_id, v.vetoes from links l
            join int_link_vetoed v on v.roster_id = l.roster_record_id
            where l.match_method = 'unlinked' order by l.roster_file, l.roster_row limit 1""").fetchall()[0]
        secrets = _secrets(con, rid)
        record = find_record(con, file, line=line)
        assert record.record_id == rid  # the sheet line finds the same row as roster_row
        lines = explain_lines(con, record)
    assert _explain(warehouse, file, "--line", str(line))[0] == 0
    text = capsys.readouterr().out
    assert text.strip() == "\n".join(lines)
    assert "not linked" in text and "candidate 1:" in text
    assert re.search(r"vetoes: .*" + re.escape(vetoes[0]), text)
    assert not any(s in text for s in secrets)


def test_explain_says_which_row_it_cannot_find(trained: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _explain(trained / "saphan.duckdb", "fund_310108_utf8bom.csv", "9999")[0] == 1
    assert "no accepted roster row at row 9999" in capsys.readouterr().err
    assert _explain(trained / "saphan.duckdb", "nofile.csv", "1")[0] == 1
    assert "no roster file named 'nofile.csv'" in capsys.readouterr().err


def test_match_weights_chart_is_inline_svg_without_script_or_url(trained: Path) -> None:
    _, text, _ = _model(trained / "saphan.duckdb")
    svg = match_weights_svg(text)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<script" not in svg.lower()
    outside = re.sub(r'xmlns(:\w+)?="http://www\.w3\.org/[^"]*"', "", svg)
    assert not re.search(r"https?://|url\((?!#)|@import", outside), "nothing may be fetched"
    assert "first_name" in svg and "Prior" in svg  # Splink's own chart: a row per comparison and the prior
    assert match_weights_svg(text) == svg  # the same model, the same bytes (ids renumbered per chart)
    with pytest.raises(ValueError):
        match_weights_svg("{not json")
