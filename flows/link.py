"""Link: connect accepted roster records to poverty records in tiers, cheapest first, and explain each link.

    a. exact_id       equal check-digit-valid citizen IDs                       (SQL)
    b. id_typo        IDs one digit / one adjacent swap apart, names agreeing   (SQL, set-based keys)
    c. probabilistic  Splink on DuckDB, Thai-aware comparisons trained by EM    (same connection)

A reviewer's decisions (`decisions`, flows/review.py) come first: an accepted pair links as `clerical` before the
probabilistic tier, a rejected pair never links, an unsure one stays in review.

Tiers b and c see only roster records no earlier tier linked, and never link a pair whose records contradict
each other (transforms/link_vetoes.py: different valid IDs, birth years, sex, first names, an unconfirmed move,
a poverty person linked by ID from another person's row); vetoed pairs otherwise strong go to `review`, naming
the veto. Each roster record links to at most one poverty person; several roster rows may share one (flagged
roster_duplicate). Pairs scoring between the two thresholds go to `review`.
"""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
from splink import DuckDBAPI, Linker, SettingsCreator
from splink.internals.exceptions import EMTrainingException

from flows.link_model import cached_model, keep_model, model_text, read_model, record_model, rounded_model, training_key
from flows.timing import timed
from flows.warehouse import check_contract
from schemas.contracts import BLOCKING_REPORT, LINKS, REVIEW
from transforms.clerical_sql import clerical_links_sql, decision_vetoes_sql, resolved_decisions_sql
from transforms.link_sql import (
    all_links_sql,
    blocking_report_sql,
    empty_splink_pairs_sql,
    exact_id_links_sql,
    id_typo_candidates_sql,
    id_typo_links_sql,
    links_sql,
    probabilistic_links_sql,
    review_sql,
    splink_input_sql,
    splink_pairs_sql,
    splink_vetoes_sql,
    vetoed_pairs_sql,
)
from transforms.linkage import BLOCKING_RULES, TRAINING_RULES, prior_from_tiers, splink_settings, swap_u_sql

logger = logging.getLogger(__name__)


class _ChosenMaxPairs(logging.Filter):
    """Drop Splink's advice to raise max_pairs: saphan sets it on purpose ([link] u_max_pairs), and an analyst
    reading the run's log would take the warning for a fault."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "default value for `max_pairs`" not in record.getMessage()


logging.getLogger("splink.internals.linker_components.training").addFilter(_ChosenMaxPairs())

# EM wants a few hundred comparisons (Splink's advice); far below that a model would link on guesses.
MIN_TRAINING_PAIRS = 100


@contextmanager
def _step(name: str) -> Iterator[None]:
    """Log how long a step took (counts and seconds only: never names or IDs); the run's timings get it too."""
    start = time.perf_counter()
    with timed(name):
        yield
    logger.info("link step %s: %.1f s", name, time.perf_counter() - start)


_PRIOR_INPUTS_SQL = """
select
    (select count(*) from int_link_exact)::double
        / greatest((select count(*) from std_roster where cid_status = 'valid'), 1),
    (select count(*) from int_splink_roster r join std_roster s using (record_id)
        where r.link_open and s.cid_status <> 'valid'),
    (select count(*) from int_splink_roster r join std_roster s using (record_id)
        where r.link_open and s.cid_status = 'valid'),
    (select count(*) filter (where cid_status <> 'valid')::double / greatest(count(*), 1) from std_poverty),
    (select count(*) from std_poverty)
"""


def _probabilistic(
    con: duckdb.DuckDBPyConnection, floor: float, seed: int, u_max_pairs: float, em_max_pairs: float,
    model: str | None = None, model_cache: str | None = None,
) -> None:
    """Train a Splink model on roster x poverty (EM, seeded u sampling), or reuse the saved `model` file, or the
    model `model_cache` keeps for these very training inputs and settings; record it in int_link_model
    (flows/link_model.py); score open pairs, keep those >= floor."""
    share, open_no_cid, open_cid, poverty_no_cid, n_poverty = con.execute(_PRIOR_INPUTS_SQL).fetchall()[0]
    if open_no_cid + open_cid == 0 or n_poverty == 0:
        record_model(con, "not needed: no open roster records or no poverty records", None)
        con.execute(empty_splink_pairs_sql())
        con.execute(blocking_report_sql(None, list(BLOCKING_RULES)))
        return
    if model:  # a saved model: no u sampling, no EM; the run records the file's text as it was
        _predict_with_saved(con, model, floor, None)
        return
    prior = prior_from_tiers(share, open_no_cid, open_cid, poverty_no_cid, n_poverty)
    swap_u = con.execute(swap_u_sql()).fetchall()[0][0]
    key = None
    if model_cache:
        with _step("model cache key"):
            key = training_key(con, {"seed": seed, "u_max_pairs": u_max_pairs, "em_max_pairs": em_max_pairs,
                                     "prior": prior, "swap_u": swap_u})
        cached = cached_model(model_cache, key)
        if cached is not None:  # trained before on these very inputs and settings: the same model
            _predict_with_saved(con, str(cached), floor, "cache")
            return
    db_api = DuckDBAPI(connection=con)
    roster = db_api.register("int_splink_roster", dataset_display_name="roster")
    poverty = db_api.register("int_splink_poverty", dataset_display_name="poverty")
    settings = splink_settings(prior, swap_u=swap_u)
    linker = Linker([roster, poverty], SettingsCreator.from_path_or_dict(settings), log_level=logging.WARNING)
    with _step("splink u sampling"):
        linker.training.estimate_u_using_random_sampling(max_pairs=u_max_pairs, seed=seed)
    trained = 0
    for i, rule in enumerate(TRAINING_RULES):
        pairs = con.execute(
            f"select count(*) from int_splink_roster l join int_splink_poverty r on {rule}"
        ).fetchall()[0][0]
        if pairs < MIN_TRAINING_PAIRS:
            logger.warning("splink EM rule %d has %d record pairs, fewer than %d: not trained on", i + 1, pairs,
                           MIN_TRAINING_PAIRS)
            continue
        with _step(f"splink EM rule {i + 1}"):
            try:
                linker.training.estimate_parameters_using_expectation_maximisation(
                    rule, estimate_without_term_frequencies=True, max_pairs=em_max_pairs
                )
                trained += 1
            except EMTrainingException:  # no pairs under this rule: a small partition or a tiny file
                logger.warning("splink EM rule %d found no record pairs to train on", i + 1)
            except ValueError:  # a level's m falls to 0 on a few hundred rows (Splink refuses it): skip the rule
                logger.warning("splink EM rule %d could not be estimated on these few pairs: not trained on", i + 1)
    if not trained:
        # An untrained model would link on guesses: leave the rest unlinked rather than link them wrongly.
        logger.warning("probabilistic tier skipped: too few comparable record pairs to train the model")
        record_model(con, "not trained: too few comparable record pairs", None)
        con.execute(empty_splink_pairs_sql())
        con.execute(blocking_report_sql(None, list(BLOCKING_RULES)))
        linker.table_management.delete_tables_created_by_splink_from_db()
        return
    # Predict with the model as saved (rounded: flows/link_model.py), so a rerun on the same data, trained anew or
    # reusing the saved model, gives the same bytes.
    trained_model = rounded_model(linker.misc.save_model_to_json())
    linker.table_management.delete_tables_created_by_splink_from_db()
    text = model_text(trained_model)
    record_model(con, "trained", text)
    if model_cache and key:
        keep_model(model_cache, key, text)
    _predict(con, _linker(con, trained_model), floor)


def _linker(con: duckdb.DuckDBPyConnection, model: dict[str, object]) -> Linker:
    """A Splink linker over the open records with a trained model's settings."""
    db_api = DuckDBAPI(connection=con)
    data = [db_api.register(f"int_splink_{d}", dataset_display_name=d) for d in ("roster", "poverty")]
    return Linker(data, SettingsCreator.from_path_or_dict(model), log_level=logging.WARNING)


def _predict_with_saved(con: duckdb.DuckDBPyConnection, path: str, floor: float, source: str | None) -> None:
    """Predict with a saved model (no u sampling, no EM); int_link_model records the file's text as it was."""
    text, saved = read_model(path)
    record_model(con, "reused", text, source)
    _predict(con, _linker(con, saved), floor)


def _predict(con: duckdb.DuckDBPyConnection, linker: Linker, floor: float) -> None:
    """Blocked pairs counted per rule, then Splink's scored pairs >= floor into int_splink_pairs."""
    with _step("splink blocking"):
        blocked = linker.inference.compute_blocked_pairs_for_predict()
        con.execute(blocking_report_sql(blocked.physical_name, list(BLOCKING_RULES)))
        # Registered as given, the pairs are scored on Splink's source-pruned path: only the records some pair
        # names get their term frequencies joined and are carried into the comparisons, where the plain path
        # joins every record's. The frequencies are still counted on all records, so each pair's figures are the
        # same (int_splink_pairs equal row for row). At 400,000 households under the 1 GB cap predict took 8.2 s
        # CPU instead of 12.8 (9.1 uncapped), on a loaded machine.
        linker.table_management.register_blocked_pairs_for_predict(blocked)
    with _step("splink predict"):
        predictions = linker.inference.predict(threshold_match_probability=floor, warning_mode="never")
        present = {r[0] for r in con.execute(f"describe {predictions.physical_name}").fetchall()}
        con.execute(splink_pairs_sql(predictions.physical_name, present))
    linker.table_management.delete_tables_created_by_splink_from_db()


def _decision_vetoes(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Veto `table`'s rejected and unsure pairs (transforms/clerical_sql.py). Without such decisions (most runs) the
    table is left as it is: the rewrite would give the same rows in the same order, for a pass over every pair."""
    vetoing = con.execute("select count(*) from int_review_decisions where decision in ('reject', 'unsure')"
                          ).fetchall()[0][0]
    if vetoing:
        con.execute(decision_vetoes_sql(table))


def load_decisions(con: duckdb.DuckDBPyConnection, decisions: str | None) -> None:
    """int_review_decisions: the reviewers' decisions (a Parquet file, or none) as this run's record ids."""
    if decisions is None:
        con.execute(resolved_decisions_sql(None))
        return
    con.execute("create or replace temp table review_decisions_in as "
                "select roster_key, poverty_key, decision from read_parquet(?)", [decisions])
    con.execute(resolved_decisions_sql("review_decisions_in"))


def link(
    con: duckdb.DuckDBPyConnection,
    *,
    lower: float = 0.5,
    upper: float = 0.9,
    floor: float = 0.0,
    margin: float = 1.0,
    seed: int = 42,
    u_max_pairs: float = 3e5,
    em_max_pairs: float = 3e5,
    probabilistic: bool = True,
    decisions: str | None = None,
    model: str | None = None,
    model_cache: str | None = None,
) -> dict[str, int]:
    """Build the int_* link tables, `review` and `links`; return counts per match method.

    Args:
        lower: Splink pairs at or above this probability (and below `upper`) go to review.
        upper: Splink pairs at or above this probability link (best per roster record).
        floor: Splink pairs below this probability are dropped; between it and `lower` only vetoed pairs that are
            otherwise strong (names and birth year agreeing) are kept, for review.
        margin: the best pair links only if the runner-up's match weight is at least this many bits lower;
            otherwise the record is ambiguous and its pairs go to review.
        seed: seed of Splink's random sampling for u probabilities (same seed, same model).
        u_max_pairs: record pairs sampled to estimate u probabilities (300,000: at 100,000 households the links
            and at 3,000 trap households every figure were the same as with 1,000,000, for ~25% less link CPU).
        em_max_pairs: at most about this many blocked pairs per EM training rule (a deterministic sample).
        probabilistic: False links by tiers a and b only (exact ID, ID typo): no Splink, nothing to review.
        decisions: a reviewers' decisions file (Parquet: roster_key, poverty_key, decision; flows/review.py):
            accepted pairs link as `clerical`, rejected ones never link, unsure ones stay in review.
        model: a saved Splink model (JSON, as a run's history keeps it) to predict with instead of training.
        model_cache: a folder of models earlier runs trained (``<state>/cache/models``): the one trained on the
            same inputs with the same settings and code is used instead of training again; a new one is kept.
    """
    load_decisions(con, decisions)
    with _step("exact id"):
        con.execute(exact_id_links_sql())
    with _step("id typo"):
        con.execute(id_typo_candidates_sql())
        _decision_vetoes(con, "int_id_typo_candidates")
        con.execute(id_typo_links_sql())
    con.execute(clerical_links_sql())
    with _step("splink inputs"):  # the two input tables are written out in full: ~6 s CPU at 400,000 households
        for dataset in ("roster", "poverty"):
            con.execute(splink_input_sql(dataset))
    if probabilistic:
        _probabilistic(con, min(floor, lower), seed, u_max_pairs, em_max_pairs, model, model_cache)
    else:
        record_model(con, "not used: tiers a and b only", None)
        con.execute(empty_splink_pairs_sql())
        con.execute(blocking_report_sql(None, list(BLOCKING_RULES)))
    with _step("vetoes, one-to-one, review, links"):
        with _step("splink vetoes"):
            con.execute(splink_vetoes_sql())
            _decision_vetoes(con, "int_splink_pairs")
        con.execute(vetoed_pairs_sql())
        con.execute(probabilistic_links_sql(upper, margin))
        con.execute(all_links_sql())
        with _step("review"):
            con.execute(review_sql(lower, upper))
        with _step("links and explanations"):  # the explanation JSON is ~3.7 of its ~6 s CPU at 400,000 households
            con.execute(links_sql())
    with _step("contracts"):
        for contract in (LINKS, REVIEW, BLOCKING_REPORT):
            check_contract(con, contract)
    rows = con.execute("select match_method, count(*) from links group by all order by all").fetchall()
    return {str(m): int(n) for m, n in rows}
