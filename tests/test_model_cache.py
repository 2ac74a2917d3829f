"""The trained model reused while the data it was trained on is unchanged (issue 17 point 3): a model from the
cache gives the links training gives, and a change of data or settings trains again.

The bundled sample (data/sample) is ingested and standardised once; each test links copies of that warehouse.
"""

import os
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from flows.ingest import ingest_files
from flows.link import link
from flows.link_model import model_entries, training_key
from flows.partition import link_by_province
from flows.standardise import standardise
from flows.warehouse import connect
from schemas.contracts import QUARANTINE


@pytest.fixture(scope="module")
def standardised(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Path:
    path = tmp_path_factory.mktemp("standardised") / "std.duckdb"
    with connect(path) as con:
        con.execute("create table quarantine (" + ", ".join(f'"{c.name}" {c.type}' for c in QUARANTINE.columns)
                    + ")")
        for dataset, sub in (("roster", "rosters"), ("poverty", "poverty")):
            ingest_files(con, dataset, [str(sample_dir / sub)], {})
            standardise(con, dataset, {"warehouse": {"workers": 1}})
    return path


def _linked(standardised: Path, target: Path, **settings: Any) -> dict[str, Any]:
    shutil.copyfile(standardised, target)
    with connect(target) as con:
        methods = link(con, **settings)
        model = con.execute("select status, source, model_json, sha256 from int_link_model").fetchall()[0]
        tables = {t: con.execute(f"select * from {t}").fetchall() for t in ("links", "review", "int_splink_pairs")}
        return {"methods": methods, "model": model, "tables": tables, "entries": model_entries(con)}


def _no_training(monkeypatch: pytest.MonkeyPatch) -> None:
    from splink.internals.linker_components.training import LinkerTraining

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the cache holds this model: nothing may be trained")

    for name in ("estimate_u_using_random_sampling", "estimate_parameters_using_expectation_maximisation"):
        monkeypatch.setattr(LinkerTraining, name, refuse)


def test_a_cached_model_gives_the_links_training_gives(standardised: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    models = tmp_path / "out" / "state" / "cache" / "models"
    (tmp_path / "out").mkdir()
    plain = _linked(standardised, tmp_path / "plain.duckdb")
    first = _linked(standardised, tmp_path / "first.duckdb", model_cache=str(models))
    assert first["model"][:2] == ("trained", "training") and first["model"][2:] == plain["model"][2:]
    files = list(models.iterdir())
    assert len(files) == 1 and files[0].read_text(encoding="utf-8") == plain["model"][2]
    assert os.stat(files[0]).st_mode & 0o777 == 0o600 and os.stat(models).st_mode & 0o777 == 0o700
    _no_training(monkeypatch)
    again = _linked(standardised, tmp_path / "again.duckdb", model_cache=str(models))
    assert again["model"][:2] == ("reused", "cache") and again["model"][2:] == plain["model"][2:]
    assert again["methods"] == plain["methods"] and again["methods"].get("probabilistic", 0) > 0
    assert again["tables"] == plain["tables"]  # every row of links, review and the scored pairs
    assert again["entries"] == [{"partition": "all", "status": "reused", "sha256": plain["model"][3],
                                 "file": "model.json", "source": "cache"}]


def test_other_settings_train_a_model_of_their_own(standardised: Path, tmp_path: Path) -> None:
    models = tmp_path / "cache" / "models"
    _linked(standardised, tmp_path / "a.duckdb", model_cache=str(models))
    other = _linked(standardised, tmp_path / "b.duckdb", model_cache=str(models), seed=7)
    assert other["model"][:2] == ("trained", "training")
    assert len(list(models.glob("*.json"))) == 2


def test_the_key_follows_the_training_data_and_settings(standardised: Path, tmp_path: Path) -> None:
    shutil.copyfile(standardised, tmp_path / "w.duckdb")
    with connect(tmp_path / "w.duckdb") as con:
        link(con, probabilistic=False)  # makes int_splink_roster and int_splink_poverty
        settings = {"seed": 42, "u_max_pairs": 1e6, "em_max_pairs": 1e6, "prior": 0.001, "swap_u": 0.0001}
        key = training_key(con, settings)
        assert training_key(con, settings) == key
        assert training_key(con, {**settings, "prior": 0.002}) != key
        con.execute("update int_splink_poverty set village_no = '99' "
                    "where record_id = (select min(record_id) from int_splink_poverty)")
        changed = training_key(con, settings)
        con.execute("update int_splink_poverty set village_no = null "
                    "where record_id = (select min(record_id) from int_splink_poverty)")
        assert len({key, changed, training_key(con, settings)}) == 3  # one cell, to a value or to null


def test_a_warehouse_from_before_sources_lists_its_model_without_one(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "old.duckdb")) as con:
        con.execute("create table int_link_model (partition varchar, status varchar, model_json varchar, "
                    "sha256 varchar)")
        con.execute("insert into int_link_model values ('all', 'trained', '{}', 'abc')")
        assert model_entries(con) == [{"partition": "all", "status": "trained", "sha256": "abc",
                                       "file": "model.json", "source": None}]


def test_each_province_reuses_its_own_cached_model(standardised: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    models = tmp_path / "cache" / "models"
    rows = {}
    for name in ("first", "again"):
        if name == "again":
            _no_training(monkeypatch)
        shutil.copyfile(standardised, tmp_path / f"{name}.duckdb")
        with connect(tmp_path / f"{name}.duckdb") as con:
            link_by_province(con, tmp_path / f"work_{name}", {"model_cache": str(models)})
            rows[name] = (con.execute("select partition, status, source, sha256 from int_link_model").fetchall(),
                          con.execute("select * from links").fetchall())
    (partition, status, source, sha), = rows["first"][0]
    assert (status, source) == ("trained", "training")
    assert rows["again"][0] == [(partition, "reused", "cache", sha)]
    assert rows["again"][1] == rows["first"][1]
