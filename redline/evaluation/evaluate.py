"""``redline eval``: how well redline reads and judges annotated articles.

Each article is audited as known on its publication date, with one snapshot
of the fact store for the whole run. Two things are measured:

- **extraction**: precision, recall and F1 of the claims read, over full
  claims (entity, metric, kind, period, value; see
  :mod:`redline.claims.scoring`) and over values alone. A gold claim whose
  metric the catalog lacks (``other:…``) is neither rewarded nor penalised
  when it is missed; a reading of it with a wrong metric is a false positive.
- **verdicts**, per annotated claim: the verdict of the audit item that reads
  the same number (the one agreeing on the whole claim, else on the value,
  where their spans overlap). A claim that was not read at all got no flag,
  and counts as ``unverifiable``. Over required claims:

  ============== ===================================================================
  verdict_accuracy  verdicts equal to ``expected_verdict``, over claims that have one
  false_alarm_rate  truth-true claims flagged (contradicted or misleading), over truth-true claims
  catch_rate        truth-false claims flagged, over truth-false claims (natural and planted apart too)
  flag_precision    flags on truth-false claims, over all flags on annotated claims (truth unknown included)
  missed_false      truth-false claims called supported, over truth-false claims
  ============== ===================================================================

  Flags on numbers that no annotation covers (or that are annotated as not
  a claim) are counted apart as ``stray_flags``: each is a red flag on
  something the annotators did not consider a checkable claim.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

from ..claims.audit import audit, audit_snapshot
from ..claims.scoring import Score, agrees, same_value, score
from ..claims.verify import Verdict
from ..store import Store
from .corpus import Article, GoldClaim

__all__ = ["ClaimResult", "Figures", "Evaluation", "evaluate", "evaluate_article", "regressions", "FLAGS", "FIGURE_DIRECTIONS"]

FLAGS = frozenset({"contradicted", "misleading"})

FIGURE_DIRECTIONS: dict[str, str] = {
    "extraction_f1": "higher",
    "extraction_values_f1": "higher",
    "verdict_accuracy": "higher",
    "false_alarm_rate": "lower",
    "catch_rate": "higher",
    "flag_precision": "higher",
    "missed_false": "lower",
}
"""The headline figures and which way is better (the regression guard reads this)."""


@dataclass(frozen=True)
class ClaimResult:
    """One annotated claim and what the audit said of it."""

    article: Article
    gold: GoldClaim
    item: Verdict | None
    read_right: bool

    @property
    def verdict(self) -> str:
        return self.item.verdict if self.item is not None else "unverifiable"

    @property
    def flagged(self) -> bool:
        return self.verdict in FLAGS

    @property
    def outcome(self) -> str:
        """false_alarm, missed_false, caught, wrong_verdict or right (the worst first)."""
        g = self.gold
        if g.truth == "true" and self.flagged:
            return "false_alarm"
        if g.truth == "false" and self.verdict == "supported":
            return "missed_false"
        if g.expected_verdict is not None and self.verdict != g.expected_verdict:
            return "wrong_verdict"
        return "right"

    def to_dict(self) -> dict[str, Any]:
        c = self.item.claim if self.item is not None else None
        return {
            "article": self.article.path,
            "url": self.article.url,
            "quote": self.gold.quote,
            "truth": self.gold.truth,
            "planted": self.gold.planted,
            "expected": self.gold.expected_verdict,
            "got": self.verdict,
            "outcome": self.outcome,
            "read_right": self.read_right,
            "gold": {"entity": self.gold.entity, "metric": self.gold.metric, "kind": self.gold.kind,
                     "period": list(self.gold.period) if self.gold.period else None,
                     "value": self.gold.value},
            "read": None if c is None else {
                "text": c.text, "entity": c.entity, "metric": c.metric, "kind": c.kind,
                "period": None if c.period is None else [c.period.start.isoformat(), c.period.end.isoformat()],
                "value": c.value,
            },
            "reasons": [] if self.item is None else [r.value for r in self.item.reasons],
            "explanation": "no claim read at this number" if self.item is None else self.item.explanation,
            "note": self.gold.note,
        }


def _rate(num: int, den: int) -> float | None:
    return num / den if den else None


@dataclass
class Figures:
    """The measured figures over a set of articles."""

    articles: int = 0
    full: Score = field(default_factory=Score)
    values: Score = field(default_factory=Score)
    results: list[ClaimResult] = field(default_factory=list)
    stray_flags: int = 0
    out_of_catalog: int = 0

    def add(self, other: "Figures") -> None:
        self.articles += other.articles
        self.full = self.full + other.full
        self.values = self.values + other.values
        self.results.extend(other.results)
        self.stray_flags += other.stray_flags
        self.out_of_catalog += other.out_of_catalog

    def _count(self, pred: Callable[[ClaimResult], bool]) -> int:
        return sum(1 for r in self.results if pred(r))

    def to_dict(self) -> dict[str, Any]:
        rs = self.results
        judged = [r for r in rs if r.gold.expected_verdict is not None]
        true_ = [r for r in rs if r.gold.truth == "true"]
        false_ = [r for r in rs if r.gold.truth == "false"]
        natural = [r for r in false_ if not r.gold.planted]
        planted = [r for r in false_ if r.gold.planted]
        flags = [r for r in rs if r.flagged]
        return {
            "articles": self.articles,
            "claims": len(rs),
            "extraction_f1": _scored(self.full, "f1"),
            "extraction_precision": _scored(self.full, "precision"),
            "extraction_recall": _scored(self.full, "recall"),
            "extraction_values_f1": _scored(self.values, "f1"),
            "extraction_values_precision": _scored(self.values, "precision"),
            "extraction_values_recall": _scored(self.values, "recall"),
            "verdict_accuracy": _round(_rate(sum(r.verdict == r.gold.expected_verdict for r in judged), len(judged))),
            "false_alarm_rate": _round(_rate(sum(r.flagged for r in true_), len(true_))),
            "catch_rate": _round(_rate(sum(r.flagged for r in false_), len(false_))),
            "catch_rate_natural": _round(_rate(sum(r.flagged for r in natural), len(natural))),
            "catch_rate_planted": _round(_rate(sum(r.flagged for r in planted), len(planted))),
            "flag_precision": _round(_rate(sum(r.gold.truth == "false" for r in flags), len(flags))),
            "missed_false": _round(_rate(sum(r.verdict == "supported" for r in false_), len(false_))),
            "counts": {
                "truth_true": len(true_), "truth_false": len(false_), "truth_false_natural": len(natural),
                "truth_false_planted": len(planted), "truth_unknown": len(rs) - len(true_) - len(false_),
                "false_alarms": sum(r.flagged for r in true_), "caught": sum(r.flagged for r in false_),
                "flags": len(flags), "stray_flags": self.stray_flags, "out_of_catalog": self.out_of_catalog,
                "extraction": {"tp": self.full.tp, "fp": self.full.fp, "fn": self.full.fn},
                "extraction_values": {"tp": self.values.tp, "fp": self.values.fp, "fn": self.values.fn},
            },
        }


def _scored(score: Score, name: str) -> float | None:
    """A figure of ``score``, or None when there was nothing to score (no claim read or annotated)."""
    return None if score.tp + score.fp + score.fn == 0 else round(float(getattr(score, name)), 4)


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


@dataclass
class Evaluation:
    """Figures for the whole run, per group, and the worst claims."""

    split: str
    total: Figures
    by_style: dict[str, Figures]
    by_outlet: dict[str, Figures]

    def worst(self, n: int = 20) -> list[ClaimResult]:
        order = {"false_alarm": 0, "missed_false": 1, "wrong_verdict": 2}
        bad = [r for r in self.total.results if r.outcome in order]
        bad.sort(key=lambda r: (order[r.outcome], r.article.path, r.gold.start))
        return bad[:n]

    def to_dict(self, *, by: str = "style", worst: int = 20) -> dict[str, Any]:
        groups = self.by_style if by == "style" else self.by_outlet
        return {
            "split": self.split,
            **self.total.to_dict(),
            "by": by,
            "groups": {name: fig.to_dict() for name, fig in sorted(groups.items())},
            "worst": [r.to_dict() for r in self.worst(worst)],
        }


def _overlap(item: Verdict, g: GoldClaim) -> bool:
    return item.claim.start < g.end and g.start < item.claim.end


def _match(items: tuple[Verdict, ...], g: GoldClaim) -> tuple[Verdict | None, bool]:
    """The audit item that reads the same number as ``g``, and whether it reads the whole claim right."""
    record = g.gold_record()
    near = [it for it in items if _overlap(it, g)]
    for it in near:
        if agrees(it.claim, record):
            return it, True
    for it in near:
        if same_value(it.claim, record):
            return it, False
    return None, False


def evaluate_article(article: Article, report_items: tuple[Verdict, ...]) -> Figures:
    golds = [g.gold_record() for g in article.claims]
    preds = [it.claim for it in report_items]
    fig = Figures(articles=1)
    fig.full = score(preds, golds, text=article.text)
    fig.values = score(preds, golds, text=article.text, agree=same_value)
    covered: set[int] = set()
    for g in article.claims:
        if not g.in_catalog:
            fig.out_of_catalog += 1
        item, right = _match(report_items, g)
        if not g.required:
            continue  # a flag on a number annotated as no claim is a stray flag
        if item is not None:
            covered.add(id(item))
        fig.results.append(ClaimResult(article, g, item, right))
    fig.stray_flags = sum(1 for it in report_items if it.verdict in FLAGS and id(it) not in covered)
    return fig


def evaluate(
    articles: Iterable[Article],
    *,
    store: Store | None = None,
    split: str = "all",
    on_article: Callable[[Article], None] | None = None,
) -> Evaluation:
    """Audit every article as known on its date and measure the result against its annotations."""
    snapshot = audit_snapshot(store if store is not None else Store(":memory:"))
    total = Figures()
    by_style: dict[str, Figures] = defaultdict(Figures)
    by_outlet: dict[str, Figures] = defaultdict(Figures)
    for article in articles:
        report = audit(article.text, date=article.published, snapshot=snapshot)
        fig = evaluate_article(article, report.items)
        total.add(fig)
        by_style[article.style].add(fig)
        by_outlet[article.outlet].add(fig)
        if on_article is not None:
            on_article(article)
    return Evaluation(split, total, dict(by_style), dict(by_outlet))


def regressions(figures: Mapping[str, Any], baseline: Mapping[str, Any]) -> list[str]:
    """The headline figures that fell behind ``baseline`` (one line each; empty when none did)."""
    out = []
    for name, direction in FIGURE_DIRECTIONS.items():
        if name not in baseline or baseline[name] is None:
            continue
        got, floor = figures.get(name), float(baseline[name])
        if got is None:
            out.append(f"{name}: no figure (baseline {floor})")
            continue
        worse = got < floor - 1e-9 if direction == "higher" else got > floor + 1e-9
        if worse:
            out.append(f"{name}: {got:.4f}, {'below' if direction == 'higher' else 'above'} the baseline {floor:.4f}")
    return out

