"""The audit: every claim of a document, extracted and checked, with a summary.

``audit(text, date=...)`` is redline's main job. It extracts the claims,
checks each against the facts known on the document date (see
:mod:`redline.claims.verify`) and against the text's own arithmetic (see
:mod:`redline.claims.arithmetic`), and returns an :class:`AuditReport` that
renders as JSON, Markdown, HTML or a terminal view.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date as Date
from typing import Any, Iterable

from .. import validation
from ..errors import InputError
from ..store import Store
from ..store.snapshot import Snapshot
from .arithmetic import ArithmeticCheck, check_arithmetic
from .fixes import suggest_fix
from .model import Claim
from .policy import arithmetic_stands, review
from .verify import Context, Evidence, Finding, Reason, Verdict, verify

__all__ = ["AuditReport", "audit", "audit_claims", "audit_scope", "VERDICTS", "FAIL_LEVELS"]

VERDICTS = ("supported", "misleading", "contradicted", "unverifiable")
FAIL_LEVELS = {"contradicted": {"contradicted"}, "misleading": {"contradicted", "misleading"}}


@dataclass(frozen=True)
class AuditReport:
    """The verdicts on one document's claims."""

    text: str
    date: Date
    items: tuple[Verdict, ...]
    arithmetic: tuple[ArithmeticCheck, ...] = ()
    date_source: str = "given"
    warnings: tuple[str, ...] = field(default=())
    title: str | None = None

    @property
    def summary(self) -> dict[str, int]:
        counts = {v: 0 for v in VERDICTS}
        for item in self.items:
            counts[item.verdict] += 1
        return {"claims": len(self.items), **counts}

    def failed(self, fail_on: str = "contradicted") -> bool:
        if fail_on not in FAIL_LEVELS:
            raise InputError(f"--fail-on must be one of {', '.join(FAIL_LEVELS)}, not {fail_on!r}")
        return any(item.verdict in FAIL_LEVELS[fail_on] for item in self.items)

    def to_dict(self) -> dict[str, Any]:
        return {
            "document_date": self.date.isoformat(),
            "document_date_source": self.date_source,
            "title": self.title,
            "warnings": list(self.warnings),
            "summary": self.summary,
            "claims": [_audited(item) for item in self.items],
            "arithmetic": [c.to_dict() for c in self.arithmetic],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_markdown(self) -> str:
        from .render import render_markdown

        return render_markdown(self)

    def to_html(self, *, standalone: bool = True) -> str:
        from .render import render_html

        return render_html(self, standalone=standalone)

    def _repr_html_(self) -> str:
        return self.to_html(standalone=False)


def _audited(item: Verdict) -> dict[str, Any]:
    """An item's JSON: the claim, its verdict and evidence, and the fix the store decides (or null)."""
    fix = suggest_fix(item)
    return {**item.to_dict(), "fix": None if fix is None else fix.to_dict()}


def _combine(claim: Claim, finding: Finding, checks: list[ArithmeticCheck], by_id: dict[str, Claim],
             flagged: set[str], confirmed: set[str], text: str = "") -> Verdict:
    verdict, reasons, sentence = finding.verdict, list(finding.reasons), finding.explanation
    evidence = list(finding.evidence)
    for check in checks:
        evidence.append(Evidence("the text's own figures", check.computed, (), check.computation))
        if not check.holds and flagged.intersection(check.related_ids):
            # the store already points at the wrong figure: the disagreement is that figure's, not this one's
            sentence += (f" The text's own figures disagree ({check.computation}); the store points at another "
                         f"of them as the wrong one.")
            continue
        related = [by_id[i] for i in check.related_ids if i in by_id]
        # one sentence links its figures by its own grammar; without sentence bounds nothing is known
        one_sentence = claim.sentence_end > 0 and all(
            r.sentence_end > 0 and r.sentence_start == claim.sentence_start for r in related)
        if not check.holds and not one_sentence and not (
                confirmed.issuperset(check.related_ids) and arithmetic_stands(claim, related, text)):
            # figures from several sentences are related only by redline's reading of them: a flag needs
            # that reading to be certain and the other figures confirmed by the store
            reasons.append(Reason.ambiguous_reading)
            sentence += (f" The text's own figures would give {check.computation}, but redline cannot be sure "
                         f"they are related, or which of them is wrong, so this is not flagged.")
            continue
        if not check.holds:
            reasons.append(Reason.arithmetic_error)
            if verdict == "supported":
                sentence += f" But the text's own figures do not agree: {check.computation}."
            else:
                verdict = "contradicted"
                sentence = f"The text's own figures do not add up: {check.computation}, not {claim.text.strip()!r}. " + (
                    sentence if finding.verdict == "contradicted" else "")
            continue
        if Reason.arithmetic_holds not in reasons:
            reasons.append(Reason.arithmetic_holds)
        if verdict == "unverifiable" and check.metric and claim.metric and check.metric != claim.metric and one_sentence:
            # a framing rule of the text's own making: its sentence computes a change of another metric
            # (a target revision called 'production'), whoever the figures belong to
            verdict = "misleading"
            reasons.append(Reason.metric_conflation)
            sentence = (f"The arithmetic holds ({check.computation}), but those figures are "
                        f"{check.metric.replace('_', ' ')}, not {claim.metric.replace('_', ' ')}.")
        elif verdict == "unverifiable":
            sentence = f"The text's own figures fit ({check.computation}); the store cannot check the figures themselves. " + sentence
    return Verdict(claim, verdict, tuple(dict.fromkeys(reasons)), sentence.strip(), tuple(evidence))


def audit_claims(
    claims: Iterable[Claim],
    /,
    *,
    source: Store | Snapshot,
    date: Date,
    text: str = "",
    date_source: str = "given",
    warnings: Iterable[str] = (),
    title: str | None = None,
) -> AuditReport:
    """Check already-extracted claims: against the facts known on ``date`` and against each other."""
    claims = tuple(claims)
    ctx = Context(source, date, claims, text)
    checks = check_arithmetic(claims)
    by_claim: dict[str, list[ArithmeticCheck]] = {}
    for check in checks:
        by_claim.setdefault(check.claim_id, []).append(check)
    by_id = {c.id: c for c in claims}
    proposed = [verify(c, ctx) for c in claims]
    findings = [review(c, f, text, source) for c, f in zip(claims, proposed)]
    # a figure the store points at (even on evidence too weak to flag it) explains a disagreement it is part of
    flagged = {c.id for c, f in zip(claims, proposed) if f.verdict in ("contradicted", "misleading")}
    confirmed = {c.id for c, f in zip(claims, findings) if f.verdict == "supported"}
    items = tuple(_combine(c, f, by_claim.get(c.id, []), by_id, flagged, confirmed, text)
                  for c, f in zip(claims, findings))
    return AuditReport(text, date, items, tuple(checks), date_source, tuple(warnings), title)


def _as_date(value: Date | str | None) -> Date | None:
    if value is None or isinstance(value, Date):
        return value
    return validation.parse_day(value, field="document date")


def audit_snapshot(store: Store | None = None) -> Snapshot:
    """The facts an audit reads, in memory, with the auditor's reading of publication dates."""
    own = store is None
    st = store or Store()
    try:
        return Snapshot.from_store(st, knowledge="earliest")
    finally:
        if own:
            st.close()


def audit_scope(source: Store | Snapshot, claims: Iterable[Claim]) -> set[str]:
    """The entities whose facts can bear on these claims: each claim's family and every market.

    A claim is checked against its entity, its parents and children and their
    children (a brand total quoted as one model's), and market shares against the
    markets: the family tree of every entity and market a claim names, plus all
    market entities, is everything verification reads.
    """
    entities = source.entities()
    named = {n for c in claims for n in (c.entity, c.market) if n and n in entities}
    roots = {(source.ancestors(n) or [entities[n]])[-1].name for n in named}
    scope = set(roots) | {d.name for r in roots for d in source.descendants(r)}
    return scope | {e.name for e in entities.values() if e.kind == "market"}


def _audit_text(
    text: str,
    *,
    date: Date | None,
    doc_date: Date | None = None,
    store: Store | None,
    snapshot: Snapshot | None,
    warnings: Iterable[str] = (),
    title: str | None = None,
    as_of: Date | None = None,
    max_claims: int | None = None,
) -> AuditReport:
    from .budget import check_claims
    from .extract import extract
    from .gazetteer import Gazetteer

    warnings = list(warnings)
    if date is not None:
        when, date_source = date, "given"
    elif doc_date is not None:
        when, date_source = doc_date, "document"
    else:
        when, date_source = Date.today(), "today"
        warnings.append(f"no document date given or found; relative periods resolved against today ({when.isoformat()})")
    if snapshot is not None:
        claims = extract(text, date=when, gazetteer=Gazetteer.of(snapshot))
    else:  # one article: read it with the whole registry, then copy only the facts its claims can touch
        own = store is None
        st = store or Store()
        try:
            claims = extract(text, date=when, gazetteer=Gazetteer.from_store(st).for_text(text))
            snapshot = Snapshot.from_store(st, entities=audit_scope(st, claims), knowledge="earliest")
        finally:
            if own:
                st.close()
    check_claims(len(claims), max_claims)
    if as_of is not None and as_of != when:
        warnings.append(f"judged with hindsight: on the facts known on {as_of.isoformat()}, not on the document date")
    report = audit_claims(claims, source=snapshot, date=as_of or when, text=text, date_source=date_source,
                          warnings=warnings, title=title)
    return report if as_of is None else replace(report, date=when)


def audit(
    text: str,
    /,
    *,
    date: Date | str | None = None,
    store: Store | None = None,
    snapshot: Snapshot | None = None,
    as_of: Date | str | None = None,
    max_claims: int | None = None,
) -> AuditReport:
    """Audit an article's plain text as of its date.

    The document date is ``date`` if given, else today (with a warning).
    Facts come from ``snapshot``, else from ``store``, else from the default store.
    With ``as_of`` (hindsight), claims are judged on the facts known on that day
    instead of the document date; relative periods still resolve against the document date.

    With ``max_claims``, an article holding more claims raises
    :class:`~redline.claims.budget.TooManyClaims` before any is verified.

    >>> r = audit("Xiaomi delivered 108,796 vehicles in the third quarter of 2025.", date="2025-11-25",
    ...           store=Store(":memory:"))
    >>> [i.verdict for i in r.items]
    ['supported']
    """
    if not isinstance(text, str):
        raise InputError(f"audit() takes the article as text (str), not {type(text).__name__}; use audit_file() for bytes")
    return _audit_text(text, date=_as_date(date), store=store, snapshot=snapshot, as_of=_as_date(as_of),
                       max_claims=max_claims)


def audit_file(
    data: bytes,
    /,
    *,
    name: str = "<input>",
    date: Date | None = None,
    store: Store | None = None,
    snapshot: Snapshot | None = None,
    max_claims: int | None = None,
    as_of: Date | None = None,
) -> AuditReport:
    """Audit an article given as bytes (a .txt or .html file, or standard input).

    HTML gives its main text, title and publication date; text is decoded
    (UTF-8, or a detected encoding). Empty or binary input raises InputError.
    ``as_of`` (hindsight) judges on the facts known that day, as :func:`audit` does.
    """
    from .document import read_document

    doc = read_document(data, name=name)
    return _audit_text(doc.text, date=date, doc_date=doc.date, store=store, snapshot=snapshot,
                       warnings=doc.warnings, title=doc.title, max_claims=max_claims, as_of=as_of)
