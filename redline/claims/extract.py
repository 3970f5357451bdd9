"""Text → claims: every quantitative statement, with what it is about.

>>> from datetime import date
>>> from redline.claims.gazetteer import default_gazetteer
>>> [c] = extract("NIO delivered 40,397 vehicles in October, up 92.6% year-on-year.",
...               date=date(2025, 11, 25), gazetteer=default_gazetteer())[:1]
>>> c.entity, c.metric, c.kind, str(c.period_obj()), c.value, c.unit
('NIO', 'deliveries', 'level', '2025-10', 40397.0, 'vehicles')

How it works (docs/extraction.md has the rules in full):

1. One scan each finds sentences (:mod:`.sentences`), number candidates
   (:func:`redline.units.scan_numbers`) and, when there are numbers, entity
   mentions (:mod:`.mentions`: the gazetteer's names, unknown companies,
   resolved anaphora).
2. Each sentence holding a number is read on its own: time expressions
   (:mod:`.phrases`), metric words (the gazetteer's phrases), comparisons.
   Numbers that are years, dates, parts of names, times of day, URLs, phone
   numbers or list labels are dropped (:mod:`.numbers`).
3. Each remaining number gets a unit, a qualifier, a metric (the words right
   after it, else the nearest fitting ones before it in its clause), a kind,
   an entity (the nearest mention), a period (the nearest time expression in
   its clause, else rules by metric and what the previous sentences said)
   and, for "from X to Y" or "up from X", a base.

:func:`extract` is a pure function of (text, date, gazetteer): no global
state, so it runs unchanged on Spark partitions.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date as Date

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from ..periods import Period, PeriodError
from ..units import scan_numbers
from .document import Document
from .gazetteer import Gazetteer, MetricPhrase
from .lexicon import NON_ENTITY_WORDS, ACTUAL_VERB, GUIDANCE_VERB, CHANGE_AFTER, CHANGE_BEFORE, CHANGE_DOWN, CHANGE_UP, CN_CHANGE_BEFORE, LEVEL_BEFORE, MARKET_CUE, MARKET_NEV_WORDS, PENETRATION_WORDS
from .mentions import Mention, find_mentions
from .model import Claim
from .numbers import Token, link, multiplier_tokens, read_tokens
from .phrases import Comparison, PeriodIndex, PeriodMention, find_bases, find_comparisons
from .sentences import COMMA_BOUNDARY, STRONG_BOUNDARY, count_between, mask_notes, split_sentences

__all__ = ["extract", "extract_document", "Extraction", "split_sentences"]

_VEHICLE_METRICS = frozenset({"deliveries", "sales", "production", "delivery_target", "vehicles_recalled",
                              "milestone_cumulative_production"})
_FLOW_METRICS = frozenset({"deliveries", "sales", "production", "revenue", "vehicles_recalled"})
_ORDER_METRICS = frozenset({"pre_orders", "locked_orders"})
_MONEY_METRICS = frozenset({"price_new", "price_resale", "revenue"})
_SAME_PERIOD_BASE = frozenset({"delivery_target", "price_new", "price_resale"})
_CURRENT_METRICS = frozenset({"price_new", "price_resale", "market_share"})
"""Metrics stated in the present tense of the document: with no period written, the document's year."""
_COUNT_UNITS = frozenset({"vehicles", "orders", "incidents", "people", "stores", "campaigns", "devices", "stations", None})
_PERCENT = ("percent", "percentage_points")

_SCOPES: tuple[tuple[str, bool, re.Pattern[str]], ...] = (
    # (the child's name after its parent's; whether an anaphor's scope reaches back to the sentence before;
    #  the words in the number's clause that narrow a figure to that child)
    ("Giga Shanghai", False, re.compile(
        r"(?i)(?<![A-Za-z])(?:China-made|made\s+in\s+China|Shanghai\s+(?:factory|plant|gigafactory|giga)|"
        r"Giga(?:factory)?\s+Shanghai|wholesale|exports?|exported)(?![A-Za-z])")),
    ("brand", False, re.compile(r"(?i)(?<![A-Za-z])(?:brand|marque)(?![A-Za-z])")),  # 'premium brand NIO'
    ("passenger cars", False, re.compile(r"(?i)(?<![A-Za-z])passenger\s+(?:vehicles?|cars?)(?![A-Za-z])")),
    # where the figure was counted, not who made it: 'Chinese automaker BYD', "China's largest" do not narrow
    ("China", True, re.compile(
        r"(?i)(?<![A-Za-z])(?:in\s+(?:mainland\s+)?China|(?:the\s+)?Chinese\s+market|"
        r"China(?:'s|’s)?\s+(?:retail|sales|market|deliveries|registrations)|domestic(?:ally)?|"
        r"home\s+market|mainland\s+China)(?![A-Za-z])|中国市场|国内")),
)
"""Scope words that narrow a company's figure to one of its children ('Tesla' + 'in China' → 'Tesla China')."""
_PRESENT = re.compile(r"(?i)(?<![A-Za-z])(?:sells|costs|is|are|trades|goes|retails|holds|has|stands|starts|now)(?![A-Za-z])")
_SHARE_OF = re.compile(
    r"(?i)\s*of\s+(?:the\s+|its\s+|all\s+|total\s+|china's\s+|the\s+chinese\s+|global\s+|overall\s+)?"
    r"(?:[\w'’-]+\s+){0,3}?(?:market|sales|deliveries|registrations|segment)(?![A-Za-z])"
)
_CUMULATIVE = re.compile(r"(?i)(?<![A-Za-z])(?:cumulative|cumulatively|since\s+(?:its\s+|their\s+)?(?:inception|launch|founding|debut)|to\s+date|in\s+total\s+since)(?![A-Za-z])")
_EV_PART = re.compile(
    r"(?i)(?<![A-Za-z])(?:EVs?|electric[\s-]vehicles?|smart\s+EV|cars?|auto(?:motive)?|汽车)(?:\s+[\w&]+){0,3}?\s+"
    r"(?:segment|business|unit|division|arm|operations|revenue|revenues|deliveries|sales)(?![A-Za-z])"
)
_ATTACHED_AFTER = re.compile(r"(?i)\s*(?:for|of|on|from|by|at|involving|in)\s+(?:the\s+|its\s+|their\s+)?$")
_SINCE_BEFORE = re.compile(r"(?i)(?:since|until|till|before|after)\s+(?:(?:the\s+)?(?:last|this|early|late|mid-?)\s*)?$")
_SUBORDINATE = re.compile(
    r"(?i)(?<![A-Za-z'’-])(?:while|whereas|after|before|when|which|who|although|though|because|since|until|"
    r"(?<!such\s)(?<!same\s)(?<!well\s)(?<!much\s)(?<!many\s)(?<!known\s)(?<!twice\s)(?<![A-Za-z]so\s)(?<![A-Za-z]as\s)"
    r"as(?!\s+(?:of|at|well|a\s+result|part|many|much|high|low|little|long|soon|far|such)(?![A-Za-z])))\s"
)
"""Words that open a subordinate clause ('…, up 173%, as the YU7 joined the SU7'): a name after one is not
the subject of the number before it."""
_SUBORDINATE_COST = 60.0
_BY_BEFORE = re.compile(r"(?i)(?<![A-Za-z])by\s*$")
_CHANGE_WORD = re.compile(rf"(?i)(?<![A-Za-z])(?:(?P<up>{CHANGE_UP})|(?P<down>{CHANGE_DOWN}))(?![A-Za-z])")


# -- per-sentence context -----------------------------------------------------------------


@dataclass(slots=True)
class _Sentence:
    start: int
    end: int
    para: int
    periods: list[PeriodMention]
    comparisons: list[Comparison]
    bases: list[tuple[int, int, str]]
    phrases: list[tuple[int, int, MetricPhrase]] = field(default_factory=list)
    strong: list[int] = field(default_factory=list)
    commas: list[int] = field(default_factory=list)
    title_case: bool = False
    phrase_starts: list[int] = field(default_factory=list)
    noun_spans: list[tuple[int, int, Token]] = field(default_factory=list)
    noun_starts: list[int] = field(default_factory=list)


def _title_case(text: str) -> bool:
    if text.rstrip().endswith((".", "!", "?", "。")):
        return False
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", text)
    small = {"a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "by", "with", "as", "vs", "from"}
    content = [w for w in words if w.lower() not in small]
    if len(content) < 4:
        return False
    return sum(1 for w in content if w[0].isupper()) / len(content) >= 0.75 and not text.rstrip().endswith((".", "!", "?"))


_COMPARISON_HINTS = (
    "over-year", "on-year", "over year", "on year", "yoy", "y/y", "y-o-y", "year earlier", "year ago", "year before",
    "last year", "previous year", "prior year", "prior-year", "previous-year", "same period", "same quarter",
    "same month", "on-quarter", "over-quarter", "on quarter", "qoq", "q/q", "sequential", "previous quarter",
    "prior quarter", "last quarter", "quarter earlier", "quarter ago", "on-month", "over-month", "on month", "mom",
    "m/m", "previous month", "prior month", "last month", "month earlier", "month ago", "同比", "环比",
)
_BASE_HINTS = ("earlier", "ago", "before", "prior", "previous", "preceding", "same")


def _periods_of(text: str, ss: int, se: int, index: PeriodIndex) -> tuple[list[PeriodMention], list[Comparison], list[tuple[int, int, str]]]:
    periods = index.mentions(ss, se)
    lowered = text[ss:se].lower()
    # the comparison and base grammars only run where one of their words is (a plain substring test)
    comparisons = find_comparisons(text, ss, se) if any(h in lowered for h in _COMPARISON_HINTS) else []
    bases = find_bases(text, ss, se) if any(h in lowered for h in _BASE_HINTS) else []
    taken = [(c.start, c.end) for c in comparisons] + [(a, b) for a, b, _ in bases]
    if taken:
        periods = [p for p in periods if not any(a < p.end and p.start < b for a, b in taken)]
    return periods, comparisons, bases


def _sentence(text: str, ss: int, se: int, para: int, index: PeriodIndex, gaz: Gazetteer) -> _Sentence:
    periods, comparisons, bases = _periods_of(text, ss, se, index)
    sent = _Sentence(ss, se, para, periods, comparisons, bases)
    lowered = text[ss:se].lower()
    sent.phrases = [(a + ss, b + ss, p) for a, b, p in gaz.find_metric_phrases(lowered)]
    sent.phrase_starts = [a for a, _, _ in sent.phrases]
    sent.strong = [m.start() + ss for m in STRONG_BOUNDARY.finditer(lowered)]
    sent.commas = [m.start() + ss for m in COMMA_BOUNDARY.finditer(lowered)]
    sent.title_case = _title_case(text[ss:se])
    return sent


# -- metric and kind ------------------------------------------------------------------------


def _compatible(metric: str, tok: Token) -> bool:
    """Can this number be a value of this metric (a count for deliveries, money for a price…)?"""
    unit = tok.unit
    if tok.measure:
        return False
    if metric == "adas_warning_lead_time":
        return tok.duration and unit == "seconds"
    if tok.duration:
        return False
    if tok.change:
        return metric != "store_closures"
    percent = unit in _PERCENT
    money = unit is not None and unit not in _COUNT_UNITS and not percent
    if metric in _MONEY_METRICS:
        return money
    if metric == "share_price":
        return money or percent
    if metric == "market_share":
        return percent
    if percent or money:
        return False
    if metric == "store_closures":
        return unit == "stores"
    if metric in ("fatal_incidents", "recalls"):
        return unit in ("incidents", "people", "campaigns", None) and tok.scalar() < 10_000
    if metric in _ORDER_METRICS:
        return unit in ("orders", "people", "vehicles", None)
    if metric in _VEHICLE_METRICS:
        return unit in ("vehicles", None)
    return unit in _COUNT_UNITS


def _percent_kind(text: str, sent: _Sentence, tok: Token) -> None:
    """Is a percent a change (and which way) or a level ('share fell to 4.5%')?"""
    left = text[max(sent.start, tok.qstart - 70):tok.qstart]
    right = text[tok.end:min(sent.end, tok.end + 60)]
    change, down = False, False
    if tok.unit == "percentage_points":
        change = True
        cb = CHANGE_BEFORE.search(left) or CHANGE_AFTER.match(right)
        down = bool(cb and cb.group("down"))
    elif _BY_BEFORE.search(left):
        change = True
        for cw in _CHANGE_WORD.finditer(left):
            down = bool(cw.group("down"))
    elif cb := CHANGE_BEFORE.search(left):
        change, down = True, bool(cb.group("down"))
    elif LEVEL_BEFORE.search(left):
        change = False
    elif cn := CN_CHANGE_BEFORE.search(text, max(sent.start, tok.qstart - 8), tok.qstart):
        change, down = True, bool(cn.group("down"))
    elif ca := CHANGE_AFTER.match(right):
        change, down = True, bool(ca.group("down"))
    else:
        change = any(0 <= c.start - tok.end <= 30 or 0 <= tok.qstart - c.end <= 12 for c in sent.comparisons)
    tok.change = change
    tok.sign = -1.0 if change and down else 1.0


_PRICE_MOVE = re.compile(r"(?i)(?<![A-Za-z])(?:cut|cuts|slashed|slashes|lowered|lowers|reduced|reduces|raised|raises|"
                         r"hiked|hikes|dropped|drops|marked\s+down)(?![A-Za-z])[^.;]*?\bto\s*$")


def _is_money(t: Token) -> bool:
    return t.unit is not None and t.unit not in _COUNT_UNITS and t.unit not in _PERCENT and not t.duration and not t.measure


def _is_product(name: str | None, mentions: list[Mention], gaz: Gazetteer) -> bool:
    if name is None:
        return False
    info = gaz.entity(name)
    return info is not None and info.kind in ("model", "product")


_VEHICLES_RECALLED = MetricPhrase("recall", "vehicles_recalled")
_NOUN_GAP = re.compile(r"[\s-]*(?:[A-Za-z][\w'’+-]*[\s-]+){0,3}?")
_IN_OF_GAP = re.compile(r"(?i)(?:in|of)\s+(?:[\w'’-]+\s+){0,2}?$")


def _choose_metric(text: str, sent: _Sentence, tok: Token) -> None:
    """The words right after the number win, then the nearest fitting ones before it in its clause."""
    right = right_later = left_specific = left_generic = left_target = None
    lo = bisect_left(sent.phrase_starts, tok.qstart - 200)
    hi = bisect_right(sent.phrase_starts, tok.right + 41)
    for ps, pe, ph in sent.phrases[lo:hi]:
        if ph.metric == "recalls" and (tok.unit == "vehicles" or (tok.unit is None and tok.scalar() >= 10_000)):
            ph = _VEHICLES_RECALLED  # 'will recall 116,887 SU7 cars'
        if pe <= tok.qstart:
            if count_between(sent.strong, pe, tok.qstart) or tok.qstart - pe > 160:
                continue
            if not _compatible(ph.metric, tok):
                continue
            if ph.metric == "delivery_target" and tok.qstart - pe <= 60 and not ACTUAL_VERB.search(text, pe, tok.qstart):
                left_target = (ps, pe, ph)
            if ph.generic:
                left_generic = (ps, pe, ph)
            else:
                left_specific = (ps, pe, ph)
        elif ps >= tok.end:
            if ps > tok.right + 40:
                continue
            gap = text[tok.end:ps]
            if right is None and _NOUN_GAP.fullmatch(gap) \
                    and not count_between(sent.commas, tok.end, ps):
                if _compatible(ph.metric, tok):
                    right = (ps, pe, ph)
            elif right_later is None and tok.change and not count_between(sent.strong, tok.end, ps) and ps - tok.end < 40:
                if _IN_OF_GAP.search(text, tok.end, ps):
                    right_later = (ps, pe, ph)
    chosen = None
    if right is not None and not right[2].generic and not (
        left_target is not None and right[2].metric in ("deliveries", "sales")
    ):
        chosen = right
    elif left_target is not None and (
        right is not None or left_specific is left_target
        or (left_specific is not None and left_specific[2].metric in ("deliveries", "sales"))
    ):
        chosen = left_target
    elif left_specific is not None:
        chosen = left_specific
    elif right_later is not None:
        chosen = right_later
    elif right is not None:
        chosen = right
    elif left_generic is not None:
        chosen = left_generic
    if chosen is None:
        if tok.unit == "vehicles" and tok.noun and not tok.change:
            tok.metric, tok.generic, tok.metric_phrase = "deliveries", True, tok.noun
            if _guided(text, sent, tok):
                tok.metric, tok.generic = "delivery_target", False  # 'aims to hand over 350,000 cars'
        elif tok.unit == "orders" and tok.noun and not tok.change:
            tok.metric, tok.metric_phrase = "pre_orders", tok.noun
        return
    ps, pe, ph = chosen
    tok.metric, tok.generic, tok.metric_phrase = ph.metric, ph.generic, text[ps:pe]
    if tok.metric in ("deliveries", "sales") and not tok.change and not _is_money(tok) and _guided(text, sent, tok):
        tok.metric, tok.generic = "delivery_target", False  # 'expects Q4 deliveries of 125,000 to 132,000'


def _guided(text: str, sent: _Sentence, tok: Token) -> bool:
    """Is the number the object of guidance or an aim ('expects', 'aims to hand over') in its own clause?"""
    lo = max(sent.start, tok.qstart - 80)
    last = None
    for m in GUIDANCE_VERB.finditer(text, lo, tok.qstart):
        last = m
    if last is None:
        return False
    if count_between(sent.strong, last.end(), tok.qstart) or count_between(sent.commas, last.end(), tok.qstart):
        return False
    return ACTUAL_VERB.search(text, last.end(), tok.qstart) is None


def _kinds_and_metrics(text: str, sent: _Sentence, toks: list[Token], gaz: Gazetteer) -> None:
    for t in toks:
        if t.unit in _PERCENT and not t.multiplier:
            _percent_kind(text, sent, t)
    for t in toks:
        if t.base_of is not None or t.metric is not None:
            continue
        _choose_metric(text, sent, t)
        if t.metric is None and t.unit == "percent" and not t.change and _SHARE_OF.match(text, t.end, min(sent.end, t.end + 60)):
            t.metric, t.metric_phrase = "market_share", "share"
    # a number with no metric words of its own takes its sentence's: 'lifted its first-half total to 221,664'
    for i, t in enumerate(toks):
        if t.metric is not None or t.base_of is not None:
            continue
        for p in reversed(toks[:i]):
            if p.metric and not t.measure and (t.change or _compatible(p.metric, t)):
                t.metric, t.generic, t.metric_phrase = p.metric, p.generic, p.metric_phrase
                break
    for t in toks:
        p = t.base_of
        if p is not None:
            t.metric, t.generic, t.metric_phrase, t.change = p.metric, p.generic, p.metric_phrase, p.change
            t.sign = p.sign if p.change else 1.0
            t.unit = t.unit or p.unit
            p.unit = p.unit or t.unit
            p.base_value = t.sign * t.scalar() if p.change else t.scalar()
    for t in toks:
        if t.change:
            t.kind = "change_pct"
        elif t.duration:
            t.kind = "attribute"
        elif gaz.is_event_metric(t.metric):
            t.kind = "count"
        else:
            t.kind = "level"
        if t.metric and t.unit is None:
            unit = gaz.metric_unit(t.metric)
            if unit in ("vehicles", "orders", "incidents", "campaigns", "stores"):
                t.unit = unit


# -- entity -------------------------------------------------------------------------------


def _choose_entity(text: str, sent: _Sentence, t: Token, toks: list[Token], mentions: list[Mention],
                   mstarts: list[int], gaz: Gazetteer, starts: list[int]) -> None:
    lo, hi = bisect_left(mstarts, sent.start), bisect_left(mstarts, sent.end)
    best: tuple[float, Mention] | None = None
    a, b = t.qstart, t.right
    # only mentions near the number compete (a sentence may be a long list)
    near_lo = max(lo, bisect_left(mstarts, a - 400))
    near_hi = min(hi, bisect_left(mstarts, b + 250))
    for men in mentions[near_lo:near_hi]:
        if t.end <= men.start and men.end <= b:
            d = -10.0  # inside its own noun phrase: '29,000 SU7 sedans'
        elif _inside_other_noun(sent, t, men):
            continue  # the object of another count
        elif men.end <= a:
            d = float(a - men.end) + 45 * _hops(text, sent, men.end, a)
        elif men.start >= b:
            if _ATTACHED_AFTER.fullmatch(text, b, men.start) and men.start - b < 16:
                d = 1.0  # 'orders for the SU7 Ultra', 'accidents involving the SU7'
            else:
                d = (men.start - b) * 1.6 + 8 + 45 * _hops(text, sent, b, men.start)
                if _subject_of_next(text, men, t, toks):
                    d += _NEXT_SUBJECT_COST  # 'Xiaomi registered 8,900 vehicles, Tesla 13,600': Tesla's is 13,600
                if _SUBORDINATE.search(text, b, men.start):
                    d += _SUBORDINATE_COST  # '…, up 173% year on year, as the YU7 joined the SU7'
        else:
            continue
        if men.source == "unknown":
            d += 8
        if men.kind == "market":
            d += 60
        if best is None or d < best[0]:
            best = (d, men)
    if t.change and (best is None or best[0] > 1.0):
        level = _attached_level(sent, t, toks, mentions, mstarts)
        if level is not None:
            # '108,796 vehicles in the third quarter, up 173%': the change is the level's
            t.entity, t.market = level.entity, level.market
            t.entity_basis = level.entity_basis or "named"
            return
    from_context = best is None or best[1].source in ("pron", "company", "car")
    t.entity_basis = "named" if not from_context else "anaphor"
    if from_context and _unknown_subject(text, sent, t, gaz):
        t.entity_basis = "context"  # 'HIMA, part of the Huawei alliance, reported …': the subject is a name redline lacks
    if best is None and (t.metric != "market_share" or PENETRATION_WORDS.search(text, sent.start, sent.end)):
        market = _market_of(text, sent, gaz)
        if market is not None:
            # 'NEV retail sales reached 1.3 million units, the CPCA said': no company, a market's figure
            t.entity, t.entity_basis = market, "named"
            return
    if best is None:
        men = _salient_before(mentions, lo, t.metric, starts)
        if men is None:
            return
        best = (0.0, men)
        t.entity_basis = "context"
    name = best[1].name
    t.entity_direct = best[0] < 0
    known = gaz.entity(name) is not None
    if known and (t.metric in ("market_share", "sales", "deliveries") or t.metric is None):
        name = _scoped(text, sent, t, name, gaz, mentions, mstarts, from_context)
    if known and t.metric and gaz.entity(name).kind == "company" and _EV_PART.search(  # type: ignore[union-attr]
        text, max(sent.start, t.qstart - 200), t.qstart
    ):
        name = gaz.car_brand_of(name)  # 'smart EV revenue', 'the EV business delivered'
    if known and t.metric:
        name = gaz.holder_of(name, t.metric)
    t.entity = name
    if t.metric == "market_share":
        for men in mentions[lo:hi]:
            if men.kind == "market":
                t.market = men.name
                break


_SENTENCE_SUBJECT = re.compile(r"\s*[\"“(]?([A-Z][A-Za-z0-9&'’-]*)")


def _unknown_subject(text: str, sent: _Sentence, t: Token, gaz: Gazetteer) -> bool:
    """Does the sentence open, before the number, with a capitalised name the registry does not know?"""
    m = _SENTENCE_SUBJECT.match(text, sent.start, t.qstart)
    if m is None:
        return False
    word = m.group(1).rstrip("'’s")
    return (word.lower() not in NON_ENTITY_WORDS and gaz.resolve(word) is None
            and not _SCOPE_FREE_WORD.fullmatch(word))


_SCOPE_FREE_WORD = re.compile(r"(?i)(?:in|on|at|as|by|for|with|its|it|this|that|these|those|during|after|before|"
                              r"while|since|according|overall|meanwhile|however|total|combined|sales|deliveries|revenue)")


def _market_of(text: str, sent: _Sentence, gaz: Gazetteer) -> str | None:
    """The market a sentence that names no company puts its figures on, from its market words."""
    if not MARKET_CUE.search(text, sent.start, sent.end):
        return None
    nev = MARKET_NEV_WORDS.search(text, sent.start, sent.end) is not None
    caam = re.search(r"(?i)caam|association\s+of\s+automobile", text[sent.start:sent.end]) is not None
    for name in (("China NEV market (CAAM)",) if nev and caam else ()) + (
            ("China NEV market",) if nev else ("China passenger car market",)):
        if gaz.entity(name) is not None:
            return name
    return None


def _scoped(text: str, sent: _Sentence, t: Token, name: str, gaz: Gazetteer, mentions: list[Mention],
            mstarts: list[int], from_context: bool) -> str:
    """The child of ``name`` that the scope words of the number's clause name, else ``name``."""
    lo_b = bisect_right(sent.strong, t.qstart) - 1
    hi_b = bisect_right(sent.strong, t.right)
    clause_start = sent.strong[lo_b] if lo_b >= 0 else sent.start
    clause_end = sent.strong[hi_b] if hi_b < len(sent.strong) else sent.end
    before = max(0, text.rfind("\n", 0, sent.start), sent.start - 300) if from_context else clause_start
    for suffix, reaches_back, words in _SCOPES:
        child = gaz.child_named(name, suffix)
        if child is None:
            continue
        for cm in words.finditer(text, before if reaches_back else clause_start, clause_end):
            # scope words inside a name ('BYD China' written elsewhere) do not count
            k = bisect_right(mstarts, cm.start()) - 1
            if k >= 0 and mentions[k].end > cm.start() and mentions[k].source == "alias":
                continue
            if _EXCLUDING.search(text, max(clause_start, cm.start() - 24), cm.start()):
                continue  # 'sales in China, excluding exports'
            return child
    return name


_EXCLUDING = re.compile(r"(?i)(?:excluding|excl\.?|not\s+including|without|except|ex-)\s*$")


_NEXT_SUBJECT_GAP = re.compile(r"(?:\s*:)?\s+(?:[a-z]+(?:ed|s)\s+)?")
_NEXT_SUBJECT_COST = 60.0


def _subject_of_next(text: str, men: Mention, t: Token, toks: list[Token]) -> bool:
    """Is a name after ``t`` the subject of the next number, written right after it ('…, Tesla 13,600 and …')?"""
    for p in toks:
        if p is t or p.qstart < men.end:
            continue
        if p.qstart - men.end > 30:
            return False
        return _NEXT_SUBJECT_GAP.fullmatch(text, men.end, p.qstart) is not None
    return False


def _hops(text: str, sent: _Sentence, lo: int, hi: int) -> int:
    """Clause boundaries between lo and hi; an aside closed in between ('NIO (蔚来) handed over') is none."""
    n = count_between(sent.strong, lo, hi)
    if n >= 2 and ("(" in text[lo:hi] or "[" in text[lo:hi]):
        depth = pairs = 0
        for ch in text[lo:hi]:
            if ch in "([":
                depth += 1
            elif ch in ")]" and depth:
                depth -= 1
                pairs += 1
        n -= 2 * pairs
    return n


def _attached_level(sent: _Sentence, t: Token, toks: list[Token], mentions: list[Mention],
                    mstarts: list[int]) -> Token | None:
    """The level a change is said of: the nearest level before it in its clause, with no name between them."""
    for p in reversed(toks):
        if p is t or p.end > t.qstart or p.change:
            continue
        if p.entity is None or p.metric != t.metric or t.qstart - p.right > 120:
            return None
        if count_between(sent.strong, p.right, t.qstart):
            return None
        k = bisect_left(mstarts, p.right)
        while k < len(mentions) and mentions[k].start < t.qstart:
            if mentions[k].source in ("alias", "model", "unknown"):
                return None  # 'Xiaomi delivered 40,000 cars and NIO's deliveries rose 30%'
            k += 1
        return p
    return None


def _inside_other_noun(sent: _Sentence, t: Token, men: Mention) -> bool:
    """Is the mention inside another number's noun phrase ('40,000 SU7 sedans')?"""
    k = bisect_right(sent.noun_starts, men.start) - 1
    if k < 0:
        return False
    ns, ne, owner = sent.noun_spans[k]
    return owner is not t and ns <= men.start and men.end <= ne


def _salient_before(mentions: list[Mention], lo: int, metric: str | None, starts: list[int]) -> Mention | None:
    """The subject of the last sentence that named someone: its first mention (a market only as a last resort)."""
    if lo <= 0:
        return None
    last = mentions[lo - 1]
    k = bisect_right(starts, last.start) - 1
    s0 = starts[k] if k >= 0 else 0
    j = bisect_left([m.start for m in mentions[max(0, lo - 40):lo]], s0) + max(0, lo - 40)
    stretch = mentions[j:lo] or [last]
    for men in stretch:
        if men.kind != "market":
            return men
    i = j - 1
    while i >= 0 and metric == "market_share" and mentions[i].kind == "market":
        i -= 1
    return mentions[i] if i >= 0 and metric == "market_share" else stretch[0]


# -- period ---------------------------------------------------------------------------------


def _owners(sent: _Sentence, toks: list[Token]) -> dict[int, Token]:
    owners: dict[int, Token] = {}
    for i, pm in enumerate(sent.periods):
        best: tuple[float, Token] | None = None
        for t in toks:
            d = t.qstart - pm.end if pm.end <= t.qstart else pm.start - t.right if pm.start >= t.right else None
            if d is None:
                continue
            if best is None or d < best[0]:
                best = (float(d), t)
        if best is not None:
            owners[i] = best[1]
    return owners


_BASE_PERIOD_LEAD = re.compile(
    r"(?i)\s*(?:from|than|versus|vs\.?|compared\s+(?:with|to)|against|over)\s+(?:(?:the\s+)?(?:same\s+period\s+)?(?:of|in)\s+)?$"
)


def _stated_base(text: str, sent: _Sentence, t: Token) -> PeriodMention | None:
    """The period a change is measured from, written right after it: 'up 4% from September'."""
    if not t.change:
        return None
    for pm in sent.periods:
        if pm.period is None or pm.start < t.right or pm.start - t.right > 24:
            continue
        if _BASE_PERIOD_LEAD.fullmatch(text, t.right, pm.start):
            return pm
        return None
    return None


def _choose_period(text: str, sent: _Sentence, t: Token, owners: dict[int, Token], toks: list[Token]) -> PeriodMention | None:
    best: tuple[tuple[int, float], PeriodMention] | None = None
    base_pm = _stated_base(text, sent, t)
    for i, pm in enumerate(sent.periods):
        if pm.period is None or pm is base_pm:
            continue
        if pm.end <= t.qstart:
            d, hops = (t.qstart - pm.end) * 1.1, count_between(sent.commas, pm.end, t.qstart)
        elif pm.start >= t.right:
            d, hops = float(pm.start - t.right), count_between(sent.commas, t.right, pm.start)
        else:
            continue
        if hops and owners.get(i) is not t:
            continue
        if _SINCE_BEFORE.search(text, max(sent.start, pm.start - 16), pm.start):
            continue  # 'its first decline since early 2024', 'the first time since last November' date something else
        if t.base_of is not None and not (0 <= pm.start - t.right <= 4 or 0 <= t.qstart - pm.end <= 3):
            continue  # only a period written right by it belongs to a base
        if any(o.base_of is not None and o is not t and 0 <= pm.start - o.right <= 4 for o in toks):
            continue  # 'up from X in Q3 2024': that period is the base's
        rank = (min(hops, 1), d)
        if best is None or rank < best[0]:
            best = (rank, pm)
    return best[1] if best else None


def _year_on(base: Period, today: Date) -> tuple[Period, str] | None:
    """``base`` a year later, when that is a month or quarter already over by ``today`` and under a year ago."""
    if base.kind not in ("month", "quarter"):
        return None
    try:
        later = base.shift_years(1)
    except PeriodError:
        return None
    if later.end > today or (today - later.end).days > 366:
        return None
    return later, "sentence"


def _shift(period: Period | None, basis: str | None) -> Period | None:
    if period is None or basis is None:
        return None
    try:
        if basis == "yoy":
            return period.same_period_last_year()
        if basis == "qoq":
            return period.previous() if period.kind == "quarter" else period.shift_months(-3)
        if basis == "mom":
            return period.shift_months(-1) if period.kind in ("month", "day") else period.previous()
    except PeriodError:
        return None
    return None


def _basis(sent: _Sentence, t: Token) -> str | None:
    best: tuple[int, str] | None = None
    for c in sent.comparisons:
        lo, hi = (t.right, c.start) if c.start >= t.right else (c.end, t.qstart)
        if hi < lo or hi - lo > 120 or count_between(sent.strong, lo, hi):
            continue
        if best is None or hi - lo < best[0]:
            best = (hi - lo, c.basis)
    for s, e, basis in sent.bases:
        d = s - t.right if s >= t.right else t.qstart - e
        if 0 <= d <= 80 and (best is None or d < best[0]):
            best = (d, basis)
    return best[1] if best else None


def _target_period(pm: PeriodMention, today: Date) -> Period | None:
    """A target is for a year or a quarter still to come: 'in the third quarter' said in August is this one."""
    p = pm.period
    if p is None:
        return None
    if pm.kind in ("month", "day", "as_of", "relative", "ytd"):
        return Period.year(p.end.year) if pm.kind != "relative" or p.kind != "quarter" else p
    if not pm.explicit_year and p.end < today:
        try:
            nxt = p.shift_years(1)
        except PeriodError:
            return p
        # a bare quarter or half in guidance is the next such one ('Q1' said in December is next year's)
        return nxt if nxt.start <= Date(today.year, 12, 31) or p.kind in ("quarter", "half") else p
    return p


@dataclass(slots=True)
class _DocState:
    last_metric_period: dict[tuple[str | None, str | None], Period] = field(default_factory=dict)


def _discourse_period(text: str, sentences: list[tuple[int, int, int]], i: int, index: PeriodIndex,
                      cache: dict[int, list[PeriodMention]]) -> Period | None:
    """The last time expression of the previous sentences (up to three, within two paragraphs)."""
    para = sentences[i][2]
    for j in range(i - 1, max(-1, i - 4), -1):
        ss, se, p = sentences[j]
        if para - p > 2:
            break
        if j not in cache:
            cache[j] = _periods_of(text, ss, se, index)[0]
        for pm in reversed(cache[j]):
            if pm.period is None or pm.as_of or pm.kind == "day":
                continue
            if _SINCE_BEFORE.search(text, max(ss, pm.start - 16), pm.start):
                continue
            return pm.period
    return None


def _base_periods(sent: _Sentence, toks: list[Token]) -> None:
    """A base without a period of its own: a year earlier ('up from X a year ago'), or its partner's for a target."""
    for t in toks:
        p = t.base_of
        if t.period is None and p is not None and p.period is not None:
            basis = _basis(sent, t) or _basis(sent, p)
            if basis and not p.change:
                t.period = _shift(p.period, basis)
            elif p.metric in _SAME_PERIOD_BASE:
                t.period = p.period


def _year_to_date_end(sent: _Sentence, ytd: Period, today: Date) -> Period:
    """A year to date ends with the latest month or quarter of its year named in the sentence
    ('in October 2025, bringing its year-to-date total to 241,216' is January–October)."""
    end = None
    for pm in sent.periods:
        p = pm.period
        if p is None or pm.kind not in ("month", "quarter", "half", "months") or p.start.year != ytd.start.year:
            continue
        if p.end > today or p.end < ytd.start:
            continue
        if end is None or p.end > end:
            end = p.end
    return Period(ytd.start, end) if end is not None else ytd


def _sentence_carry(toks: list[Token]) -> None:
    """A claim without a period takes the one its sentence gives the nearest claim with a stated one."""
    for t in toks:
        if t.period is not None or t.base_of is not None or t.cumulative or t.metric == "share_price":
            continue
        near: tuple[int, Token] | None = None
        for o in toks:
            if o is t or o.period is None or o.base_of is not None:
                continue
            if not (o.period_from_text or o.metric == t.metric or t.change):
                continue
            if t.metric in ("price_new", "price_resale") and o.metric != t.metric:
                continue
            d = abs(o.start - t.start)
            if near is None or d < near[0]:
                near = (d, o)
        if near is not None:
            t.period = near[1].period
            # a period the sentence itself gave; one the other figure only carried or assumed stays so
            t.period_basis = near[1].period_basis if near[1].period_basis in ("discourse", "default") else "sentence"


def _periods(text: str, today: Date, gaz: Gazetteer, sent: _Sentence, toks: list[Token], state: _DocState,
             discourse: "callable[[], Period | None]") -> None:  # type: ignore[valid-type]
    owners = _owners(sent, toks)
    low = text[sent.start:sent.end].lower()
    maybe_cumulative = "cumulat" in low or "since" in low or "to date" in low or "in total" in low
    for t in toks:
        if maybe_cumulative and _CUMULATIVE.search(text, max(sent.start, t.qstart - 80), min(sent.end, t.right + 60)):
            t.cumulative = True
        pm = _choose_period(text, sent, t, owners, toks)
        if pm is None:
            continue
        if t.metric == "delivery_target":
            t.period = _target_period(pm, today)
        elif pm.kind == "ytd" and pm.period is not None:
            t.period = _year_to_date_end(sent, pm.period, today)
        elif pm.as_of and pm.period is not None:
            day = pm.period.end
            info = gaz.entity(t.entity) if t.entity else None
            if t.cumulative:
                launched = info.launched if info else None
                t.period = Period(launched, day) if launched and launched <= day else None
            elif t.metric in _FLOW_METRICS:
                t.period = Period(Date(day.year, 1, 1), day)
            else:
                t.period = pm.period
        else:
            t.period = pm.period
        t.period_from_text = t.period is not None
        t.period_basis = "stated" if t.period is not None else None
    _base_periods(sent, toks)
    for t in toks:
        if t.period is not None or t.base_of is not None:
            continue
        info = gaz.entity(t.entity) if t.entity else None
        t.period_basis = "launch"  # orders at launch, events since launch: what an undated figure of these means
        if t.metric in _ORDER_METRICS and info is not None and info.launched is not None:
            t.period = Period.day(info.launched)
        elif t.kind == "count" and gaz.is_event_metric(t.metric):
            start = info.launched if info is not None else None
            if start is None and info is not None and info.parent:
                parent = gaz.entity(info.parent)
                start = parent.launched if parent else None
            if start is not None and start <= today:
                t.period = Period(start, today)
        elif t.metric == "delivery_target":
            earlier = state.last_metric_period.get((t.entity, t.metric))
            t.period, t.period_basis = (earlier, "discourse") if earlier else (Period.year(today.year), "default")
    _sentence_carry(toks)
    for t in toks:
        if t.period is not None or t.base_of is not None or t.cumulative:
            continue
        if t.metric in _FLOW_METRICS or t.metric == "market_share" or (t.change and t.metric != "share_price"):
            t.period = discourse()
            t.period_basis = "discourse"
    _sentence_carry(toks)
    for t in toks:
        if t.period is None and t.base_of is None and not t.cumulative and t.metric in _CURRENT_METRICS:
            t.period = Period.year(today.year)
            t.period_basis = "default"
    _base_periods(sent, toks)
    for t in toks:
        if t.change and t.base_period is None and t.period is not None:
            stated = _stated_base(text, sent, t)
            base = t.base if t.base is not None else next(
                (o for o in toks if o.base_of is not None and o.base_of is not t and 0 <= o.qstart - t.right <= 24
                 and re.fullmatch(r"(?i)\s*(?:from|than|versus|vs\.?|compared\s+(?:with|to)|against)\s+", text[t.right:o.qstart])),
                None)  # 'up 40.8% from 26,227 in Q2': the base linked to the level is the change's too
            if stated is not None and stated.period is not None and stated.period != t.period:
                t.base_period = stated.period
                if t.period_basis in ("discourse", "default"):
                    # 'down 18.3% compared with December 2024': with no period of its own, a change
                    # against a named month or quarter of the year before is that period a year on
                    t.period, t.period_basis = _year_on(stated.period, today) or (t.period, t.period_basis)
            elif base is not None and base.period is not None and base.period != t.period:
                t.base_period = base.period
            else:
                t.base_period = _shift(t.period, _basis(sent, t))
        if t.period is not None and t.metric:
            state.last_metric_period[(t.entity, t.metric)] = t.period


# -- the pipeline -----------------------------------------------------------------------------

_MULTIPLIER_SCAN = re.compile(r"(?=[dtqhDTQH])(?<![A-Za-z])(?i:doubl|tripl|trebl|quadrupl|halv)")


def extract(
    text: str,
    /,
    *,
    date: Date,
    gazetteer: Gazetteer,
    include_unresolved: bool = False,
) -> list[Claim]:
    """The claims in a plain text, with character offsets into it.

    ``date`` is the document date relative expressions resolve against;
    ``gazetteer`` says which names are entities (see
    :func:`~redline.claims.gazetteer.default_gazetteer`). Numbers whose metric
    cannot be told are left out unless ``include_unresolved`` is set.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    if not isinstance(date, Date):
        raise TypeError(f"date must be a datetime.date, not {type(date).__name__}")
    if not text.strip():
        return []
    today, gaz = date, gazetteer
    original = text
    text = mask_notes(text)  # footnote marks and definitions are not read: offsets are kept
    sentences = split_sentences(original, text)
    starts = [s for s, _, _ in sentences]
    by_sentence: dict[int, list[re.Match[str]]] = {}
    for m in scan_numbers(text):
        i = bisect_right(starts, m.start()) - 1
        if i >= 0:
            by_sentence.setdefault(i, []).append(m)
    with_multipliers: set[int] = set()
    for m in _MULTIPLIER_SCAN.finditer(text):
        i = bisect_right(starts, m.start()) - 1
        if i >= 0:
            by_sentence.setdefault(i, [])
            with_multipliers.add(i)
    if not by_sentence:
        return []
    mentions = find_mentions(text, gaz)
    mstarts = [m.start for m in mentions]
    state = _DocState()
    index = PeriodIndex(text, today=today)
    cache: dict[int, list[PeriodMention]] = {}
    found: list[tuple[Token, _Sentence]] = []
    for i in sorted(by_sentence):
        ss, se, para = sentences[i]
        sent = _sentence(text, ss, se, para, index, gaz)
        cache[i] = sent.periods
        toks = _tokens(text, sent, by_sentence[i], mentions, mstarts, i in with_multipliers)
        if not toks:
            continue
        _kinds_and_metrics(text, sent, toks, gaz)
        sent.noun_spans = [(o.end, o.right, o) for o in toks if o.noun]
        sent.noun_starts = [ns for ns, _, _ in sent.noun_spans]
        for t in toks:
            _choose_entity(text, sent, t, toks, mentions, mstarts, gaz, starts)
            if t.metric is None and _is_money(t) and not t.change and (
                _PRICE_MOVE.search(text, max(sent.start, t.qstart - 60), t.qstart) or _is_product(t.entity, mentions, gaz)
            ):
                t.metric = "price_new"  # 'cut the Seagull to 55,800 yuan': money said of a model is its price
        _periods(text, today, gaz, sent, toks, state,
                 lambda i=i: _discourse_period(text, sentences, i, index, cache))
        found += [(t, sent) for t in toks]
    claims: list[Claim] = []
    for t, sent in found:
        if t.metric is None and not include_unresolved:
            continue
        claims.append(_to_claim(original, t, sent, len(claims) + 1))
    return claims


def _tokens(text: str, sent: _Sentence, raw: list[re.Match[str]], mentions: list[Mention], mstarts: list[int],
            multipliers: bool) -> list[Token]:
    lo, hi = bisect_left(mstarts, sent.start), bisect_left(mstarts, sent.end)
    excluded = [(p.start, p.end) for p in sent.periods]
    excluded += [(m.start, m.end) for m in mentions[lo:hi] if m.source in ("alias", "model", "unknown")]
    toks = read_tokens(text, sent.start, sent.end, raw, excluded, sent.title_case)
    if multipliers:
        toks += multiplier_tokens(text, sent.start, sent.end)
    toks.sort(key=lambda t: t.start)
    return link(text, sent.start, sent.strong, toks)


def _to_claim(text: str, t: Token, sent: _Sentence, n: int) -> Claim:
    start, end = t.qstart, t.end if t.multiplier else t.right
    if isinstance(t.value, list):
        value: float | list[float] = [t.sign * v for v in t.value] if t.change else list(t.value)
    else:
        value = t.sign * float(t.value) if t.change else float(t.value)
    return Claim(
        id=f"c{n}",
        text=text[start:end],
        start=start,
        end=end,
        entity=t.entity,
        metric=t.metric,
        kind=t.kind,
        period=_claim_period(t.period),
        base_period=_claim_period(t.base_period) if t.kind == "change_pct" else None,  # type: ignore[arg-type]
        value=value,
        unit=t.unit,
        qualifier=t.qualifier,
        precision=float(t.precision),
        market=t.market,
        metric_phrase=t.metric_phrase,
        generic_volume=t.generic,
        entity_basis=t.entity_basis if t.entity else None,
        period_basis=t.period_basis if t.period is not None else None,
        base_value=t.base_value,
        sentence_start=sent.start,
        sentence_end=sent.end,
    )


def _claim_period(p: Period | None) -> dict[str, Date] | None:
    return None if p is None else {"start": p.start, "end": p.end}


# -- documents ----------------------------------------------------------------------------------


class Extraction(BaseModel):
    """What `redline extract --json` prints: the document's date (and where it came from) and its claims."""

    model_config = ConfigDict(frozen=True)

    document: Optional[str] = Field(None, description="File name, or <stdin>.")
    document_date: Date = Field(description="The date relative periods were resolved against.")
    date_source: Literal["option", "document", "today"] = Field(
        description="option: given (--date); document: the HTML's publication date; today: neither, so today's date."
    )
    format: Literal["text", "html"] = "text"
    title: Optional[str] = None
    warnings: list[str] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)


def extract_document(
    doc: Document,
    /,
    *,
    gazetteer: Gazetteer,
    date: Date | None = None,
    today: Date | None = None,
    include_unresolved: bool = False,
) -> Extraction:
    """Extract the claims of a read document: the date is ``date``, else the document's, else today (with a warning)."""
    warnings = list(doc.warnings)
    if date is not None:
        when, source = date, "option"
    elif doc.date is not None:
        when, source = doc.date, "document"
    else:
        when, source = today or Date.today(), "today"
        warnings.append(
            f"no document date given (--date) or found in the document; relative periods such as 'this year' "
            f"and a bare 'Q3' were resolved against today, {when.isoformat()}"
        )
    claims = extract(doc.text, date=when, gazetteer=gazetteer, include_unresolved=include_unresolved)
    return Extraction(document=doc.name, document_date=when, date_source=source, format=doc.format,  # type: ignore[arg-type]
                      title=doc.title, warnings=warnings, claims=claims)
