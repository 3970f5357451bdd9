"""`redline eval`: the corpus format, the figures, and the regression guard on the real dev split."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from redline.claims.extract import extract
from redline.claims.gazetteer import default_gazetteer
from redline.claims.scoring import agrees, same_value
from redline.evaluation.corpus import CorpusError, load_corpus, read_seed
from redline.evaluation.evaluate import FIGURE_DIRECTIONS, evaluate, regressions
from redline.evaluation.split import split_of

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "tests" / "corpus" / "real"
OWN = ROOT / "tests" / "corpus" / "own"
SEED_GOLD = ROOT.parent / "shared" / "eval" / "seed_claims.json"

Q3 = "BEIJING, Nov 25 - Xiaomi delivered 108,796 vehicles in the third quarter of 2025, the company said."


def _claim(quote: str, value: float, truth: str, expected: str, **extra) -> dict:
    return {"quote": quote, "entity": "Xiaomi", "metric": "deliveries", "kind": "level",
            "period": {"start": "2025-07-01", "end": "2025-09-30"}, "value": value, "unit": "vehicles",
            "qualifier": "exact", "truth": truth, "expected_verdict": expected, **extra}


def _article(outlet: str = "example-wire.com", text: str = Q3, claims: list | None = None, **extra) -> dict:
    return {"url": f"https://{outlet}/q3", "outlet": outlet, "published": "2025-11-25", "style": "wire",
            "split": split_of(outlet), "text": text,
            "claims": claims if claims is not None else [_claim("108,796 vehicles", 108796, "true", "supported")],
            **extra}


def _write(folder: Path, name: str, article: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(article), encoding="utf-8")
    return path


@pytest.mark.parametrize("change, field", [
    (lambda a: a["claims"][0].update(quote="108,797 vehicles"), "claims[0].quote"),
    (lambda a: a.update(split="dev" if a["split"] == "test" else "test"), "split"),
    (lambda a: a.update(outlet="tech-oracle.com", split=split_of("tech-oracle.com")), "outlet"),
    (lambda a: a.update(published="25/11/2025"), "published"),
    (lambda a: a["claims"][0].update(truth="maybe"), "claims[0].truth"),
    (lambda a: a["claims"][0].update(expected_verdict="wrong"), "claims[0].expected_verdict"),
    (lambda a: a["claims"][0].update(period={"start": "2025-09-30", "end": "2025-07-01"}), "claims[0].period"),
    (lambda a: a["claims"][0].update(planted=True), "claims[0].truth"),
    (lambda a: a.update(style="own"), "style"),
])
def test_a_bad_article_is_refused_naming_file_and_field(tmp_path, change, field):
    article = _article()
    change(article)
    path = _write(tmp_path, "bad.json", article)
    with pytest.raises(CorpusError) as err:
        load_corpus(tmp_path)
    assert str(path) in str(err.value) and field in str(err.value)


def test_one_bad_file_refuses_every_split(tmp_path):
    outlet_dev = next(o for o in (f"outlet{i}.com" for i in range(100)) if split_of(o) == "dev")
    outlet_test = next(o for o in (f"outlet{i}.com" for i in range(100)) if split_of(o) == "test")
    _write(tmp_path, "good.json", _article(outlet_dev))
    bad = _article(outlet_test)
    bad["claims"][0]["quote"] = "nowhere"
    _write(tmp_path, "bad.json", bad)
    with pytest.raises(CorpusError, match="bad.json"):
        load_corpus(tmp_path, split="dev")


def test_split_is_a_function_of_the_outlet_alone():
    assert split_of("redline") == "dev"
    assert split_of(" CNEVPost.com ") == split_of("cnevpost.com")
    outlets = [f"outlet{i}.example" for i in range(2000)]
    share = sum(split_of(o) == "test" for o in outlets) / len(outlets)
    assert 0.35 < share < 0.45


def test_figures_count_false_alarms_catches_and_planted_errors_apart(tmp_path, pack):
    wrong = Q3.replace("108,796", "118,796")
    _write(tmp_path, "a.json", _article())
    _write(tmp_path, "a--planted.json", _article(text=wrong, claims=[
        _claim("118,796 vehicles", 118796, "false", "contradicted", planted=True)]))
    result = evaluate(load_corpus(tmp_path), store=pack).to_dict()
    assert result["articles"] == 2 and result["claims"] == 2
    assert result["extraction_f1"] == 1.0 and result["extraction_values_f1"] == 1.0
    assert result["verdict_accuracy"] == 1.0
    assert result["false_alarm_rate"] == 0.0
    assert result["catch_rate"] == 1.0 and result["catch_rate_planted"] == 1.0
    assert result["catch_rate_natural"] is None
    assert result["flag_precision"] == 1.0 and result["missed_false"] == 0.0


def test_a_true_figure_flagged_is_a_false_alarm_and_leads_the_worst_list(tmp_path, pack):
    # the annotation says 118,796 is true (a planted annotation error): the audit's
    # contradiction then counts against it, and is listed first
    wrong = Q3.replace("108,796", "118,796")
    _write(tmp_path, "a.json", _article(text=wrong, claims=[_claim("118,796 vehicles", 118796, "true", "supported")]))
    result = evaluate(load_corpus(tmp_path), store=pack).to_dict()
    assert result["false_alarm_rate"] == 1.0 and result["flag_precision"] == 0.0
    assert result["worst"][0]["outcome"] == "false_alarm"
    assert result["worst"][0]["got"] == "contradicted"


def test_a_claim_not_read_counts_as_unverifiable(tmp_path, pack):
    text = Q3 + " Its net profit was a secret."
    claims = [_claim("108,796 vehicles", 108796, "true", "supported"),
              {**_claim("a secret", 5, "unknown", "unverifiable"), "metric": "other:net_profit", "kind": "level"}]
    _write(tmp_path, "a.json", _article(text=text, claims=claims))
    result = evaluate(load_corpus(tmp_path), store=pack).to_dict()
    assert result["counts"]["out_of_catalog"] == 1
    assert result["verdict_accuracy"] == 1.0
    assert result["extraction_f1"] == 1.0   # a missed out-of-catalog claim costs nothing


def test_regressions_name_the_figure_that_fell():
    base = {"extraction_f1": 0.5, "false_alarm_rate": 0.10}
    assert regressions({"extraction_f1": 0.6, "false_alarm_rate": 0.05}, base) == []
    out = regressions({"extraction_f1": 0.4, "false_alarm_rate": 0.2}, base)
    assert len(out) == 2 and out[0].startswith("extraction_f1") and "above" in out[1]


@pytest.mark.skipif(not SEED_GOLD.exists(), reason="../shared/eval/seed_claims.json is not beside this checkout")
def test_the_seed_reads_as_an_own_dev_article(pack):
    seed = read_seed(SEED_GOLD)
    assert seed.style == "own" and seed.split == "dev"
    result = evaluate([seed], store=pack).to_dict()
    assert result["extraction_f1"] >= 0.9
    assert result["verdict_accuracy"] == 1.0
    assert result["false_alarm_rate"] == 0.0


def test_own_passages_keep_their_extraction_score(pack):
    result = evaluate(load_corpus(OWN), store=pack).to_dict()
    assert result["articles"] >= 60
    assert result["extraction_f1"] >= 0.95


def test_real_dev_split_does_not_fall_below_its_baseline(pack):
    baseline = json.loads((REAL / "BASELINE.json").read_text(encoding="utf-8"))
    articles = load_corpus(REAL, split="dev")
    assert len(articles) >= baseline["articles"]
    figures = evaluate(articles, store=pack, split="dev").to_dict()
    assert set(FIGURE_DIRECTIONS) <= set(baseline["figures"])
    assert regressions(figures, baseline["figures"]) == []


def test_eval_cli_prints_the_six_figures_as_json(cli, tmp_path):
    _write(tmp_path, "a.json", _article())
    out = cli("eval", str(tmp_path), "--split", "all", "--json")
    assert out.exit_code == 0, out.stderr
    for name in ("extraction_f1", "verdict_accuracy", "false_alarm_rate", "catch_rate", "flag_precision", "missed_false"):
        assert name in out.json()
    assert out.json()["groups"]["wire"]["articles"] == 1


def test_eval_cli_check_refuses_a_bad_corpus_with_exit_2(cli, tmp_path):
    article = _article()
    article["claims"][0]["quote"] = "nowhere"
    _write(tmp_path, "bad.json", article)
    out = cli("eval", str(tmp_path), "--check")
    assert out.exit_code == 2
    assert "bad.json" in out.stderr and "claims[0].quote" in out.stderr


def test_a_flag_on_a_number_annotated_as_no_claim_is_a_stray_flag(tmp_path, pack):
    wrong = Q3.replace("108,796", "118,796")
    _write(tmp_path, "a.json", _article(text=wrong, claims=[
        {**_claim("118,796 vehicles", 118796, "unknown", "unverifiable"), "required": False}]))
    result = evaluate(load_corpus(tmp_path), store=pack).to_dict()
    assert result["claims"] == 0 and result["counts"]["stray_flags"] == 1


def test_nothing_to_score_is_no_figure_not_a_perfect_one(pack):
    result = evaluate([], store=pack).to_dict()
    assert result["extraction_f1"] is None and result["verdict_accuracy"] is None


@pytest.mark.parametrize("change", [
    {"outlet": "www.tech-oracle.com"},
    {"url": "https://tech-oracle.com/some-story"},
])
def test_held_out_outlets_are_refused_by_outlet_or_address(tmp_path, change):
    article = _article()
    article.update(change)
    article["split"] = split_of(article["outlet"])
    _write(tmp_path, "a.json", article)
    with pytest.raises(CorpusError, match="outside check"):
        load_corpus(tmp_path)


def test_a_metric_that_is_not_text_is_refused(tmp_path):
    article = _article()
    article["claims"][0]["metric"] = 5
    _write(tmp_path, "a.json", article)
    with pytest.raises(CorpusError, match=r"claims\[0\]\.metric"):
        load_corpus(tmp_path)


def test_a_value_read_in_yuan_is_the_value_annotated_in_billions() -> None:
    text = "Xiaomi's EV business generated 20.6 billion yuan in revenue in the second quarter of 2025."
    claim = next(c for c in extract(text, date=date(2025, 8, 20), gazetteer=default_gazetteer()) if c.metric == "revenue")
    gold = {"entity": "Xiaomi", "metric": "revenue", "kind": "level", "value": 20.6, "unit": "CNY_bn",
            "period": {"start": "2025-04-01", "end": "2025-06-30"}}
    assert claim.value == 20.6e9 and claim.unit == "CNY"
    assert same_value(claim, gold) and agrees(claim, gold)
    assert not same_value(claim, {**gold, "value": 20.7})
