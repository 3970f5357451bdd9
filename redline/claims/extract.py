"""Text → claims: every quantitative statement, with what it is about.

>>> from datetime import date
>>> from redline.claims.gazetteer import default_gazetteer
>>> [c] = extract("NIO delivered 40,397 vehicles in October, up 92.6% year-on-year.",
...               date=date(2025, 11, 25), gazetteer=default_gazetteer())[:1]
>>> c.entity, c.metric, c.kind, str(c.period_obj()), c.value, c.unit
('NIO', 'deliveries', 'level', '2025-10', 40397.0, 'vehicles')

How it works (docs/extraction.md has the rules in full):

1. One scan each finds sentences, entity names (a trie of the store's
   aliases), anaphora ("it", "the company") and number candidates
   (:func:`redline.units.scan_numbers`). Pronouns are resolved in one pass to
   the last salient entity.
2. Each sentence holding a number is read on its own: time expressions
   (:mod:`redline.claims.phrases`), metric words (the gazetteer's phrases),
   comparisons; numbers that are years, dates, model names, times of day,
   URLs, phone numbers or list labels are dropped.
3. Each remaining number gets a unit, a qualifier, a metric (the word right
   after it, else the nearest specific one before it in its clause), a kind,
   an entity (the nearest mention, resolved), a period (the nearest time
   expression in its clause, else rules by metric) and, for "from X to Y" or
   "up from X", a base value.

The function is pure: no global state, the gazetteer is passed in.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from ..periods import Period, PeriodError
from ..units import COUNT_NOUNS, CURRENCY_WORDS, DURATION_UNITS, Quantity, read_match, scan_numbers
from .gazetteer import EntityMention, Gazetteer, MetricPhrase
from .lexicon import (
    ANAPHORA_RE,
    CHANGE_AFTER,
    CHANGE_BEFORE,
    CHANGE_DOWN,
    CHANGE_UP,
    CN_CHANGE_BEFORE,
    LEVEL_BEFORE,
    MODEL_PREFIX_WORDS,
    MODEL_SUFFIX,
    MULTIPLIER_RE,
    MULTIPLIER_VALUES,
    NON_ENTITY_WORDS,
    NOT_MODEL_PREFIX,
    PROPER_RUN_RE,
    QUALIFIER_AFTER,
    QUALIFIER_BEFORE,
    QUALIFIER_BEFORE_CJK,
    UNKNOWN_ENTITY_CUE,
)
from .model import Claim, ClaimPeriod
from .phrases import Comparison, PeriodMention, find_bases, find_comparisons, find_periods

__all__ = ["extract", "split_sentences"]

MAX_SENTENCE = 1200
"""Sentences longer than this (in characters) are cut at a space: every window stays small."""

# -- sentences --------------------------------------------------------------------

_SENT_END = re.compile(r"[。！？]+|[.!?]+[\"'”’)\]]*(?=\s|$)|\n")
_ABBREV = frozenset(
    "mr mrs ms dr prof st inc corp co ltd plc llc jr sr vs etc e.g i.e u.s u.k approx est no fig "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun dept gov rep sen "
    "a.m p.m u.s.a".split()
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


def split_sentences(text: str) -> list[tuple[int, int, int]]:
    """(start, end, paragraph) of every sentence; a newline always ends one, a long one is cut."""
    out: list[tuple[int, int, int]] = []
    start, para = 0, 0
    n = len(text)

    def emit(a: int, b: int, p: int) -> None:
        while b - a > MAX_SENTENCE:
            cut = text.rfind(" ", a + MAX_SENTENCE // 2, a + MAX_SENTENCE)
            cut = cut if cut > a else a + MAX_SENTENCE
            out.append((a, cut, p))
            a = cut
        if b > a and text[a:b].strip():
            out.append((a, b, p))

    for m in _SENT_END.finditer(text):
        ch = m.group(0)
        if ch == "\n":
            emit(start, m.start(), para)
            start = m.end()
            para += 1
            continue
        if ch[0] == ".":
            wb = _WORD_BEFORE.search(text, max(start, m.start() - 12), m.start() + 1)
            if wb:
                word = wb.group(1).lower()
                if word in _ABBREV or (len(word) == 1 and word.isalpha()):
                    continue
            nxt = m.end()
            while nxt < n and text[nxt] in " \t":
                nxt += 1
            if nxt < n and text[nxt].islower():
                continue
        emit(start, m.end(), para)
        start = m.end()
    emit(start, n, para)
    return out


# -- mentions of entities -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    name: str
    kind: str
    source: str  # alias, unknown, pron, company, model


def _unknown_mentions(text: str, known: list[EntityMention], gaz: Gazetteer) -> list[_Mention]:
    """Capitalised names not in the store that act like companies ('Zeekr delivered', 'Orvis closing')."""
    out: list[_Mention] = []
    starts = [k.start for k in known]
    for m in PROPER_RUN_RE.finditer(text):
        words = m.group(0).split()
        if not words:
            continue
        # cut at a possessive; drop leading and trailing words that never name a company
        cut = len(words)
        for i, w in enumerate(words):
            if w.endswith(("'s", "’s")):
                words[i] = w[:-2]
                cut = i + 1
                break
        words = words[:cut]
        lead = 0
        while lead < len(words) and words[lead].lower().strip(".,'’") in NON_ENTITY_WORDS:
            lead += 1
        trail = len(words)
        while trail > lead and words[trail - 1].lower().strip(".,'’") in NON_ENTITY_WORDS:
            trail -= 1
        if lead >= trail:
            continue
        name = " ".join(words[lead:trail]).strip(".,'’&- ")
        if len(name) < 2 or name.isdigit():
            continue
        rel = m.group(0).find(words[lead])
        s = m.start() + max(rel, 0)
        e = s + len(name)
        i = bisect_left(starts, s - 60)
        if any(k.start < e + 1 and s < k.end + 1 for k in known[i:i + 8]):
            continue
        if not UNKNOWN_ENTITY_CUE.match(text, e, min(len(text), e + 60)):
            continue
        if gaz.resolve(name):
            continue
        out.append(_Mention(s, e, name, "company", "unknown"))
    return out


def _resolve_mentions(text: str, gaz: Gazetteer) -> list[_Mention]:
    """Known names, unknown companies and resolved anaphora, in text order."""
    known = gaz.find_entities(text)
    items: list[_Mention] = [_Mention(k.start, k.end, k.name, k.kind, "alias") for k in known]
    items += _unknown_mentions(text, known, gaz)
    for m in ANAPHORA_RE.finditer(text):
        src = m.lastgroup or "pron"
        items.append(_Mention(m.start(), m.end(), "", "", src))
    items.sort(key=lambda x: (x.start, x.source != "alias"))
    out: list[_Mention] = []
    last_any: _Mention | None = None
    last_company: _Mention | None = None
    last_model: _Mention | None = None
    last_end = -1
    for it in items:
        if it.source in ("alias", "unknown"):
            if it.start < last_end:
                continue
            out.append(it)
            last_end = it.end
            last_any = it
            if it.kind in ("model", "product"):
                last_model = it
            elif it.kind != "market":
                last_company = it
            continue
        if it.start < last_end:
            continue
        target: _Mention | None = None
        if it.source == "pron":
            word = text[it.start:it.end].lower()
            target = last_company if word.startswith(("they", "their")) else last_any
            if target is not None and target.kind == "market" and last_company is not None:
                target = last_company
        elif it.source == "company":
            target = last_company
            if last_any is not None and last_any.kind in ("model", "product") and (
                last_company is None or last_company.start < last_any.start
            ):
                brand = gaz.brand_of(last_any.name)
                info = gaz.entity(brand)
                target = _Mention(last_any.start, last_any.end, brand, info.kind if info else "brand", "alias")
        else:  # a model description: "the car"
            target = last_model
        if target is not None:
            out.append(_Mention(it.start, it.end, target.name, target.kind, it.source))
    return out


# -- numbers ------------------------------------------------------------------------


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    q: Quantity
    value: float | list[float]
    precision: float
    unit: str | None = None
    qualifier: str = "exact"
    qstart: int = 0
    span_end: int = 0
    noun: str | None = None
    duration: bool = False
    multiplier: bool = False
    ordinal: bool = False
    metric: str | None = None
    metric_phrase: str | None = None
    generic: bool = False
    kind: str = "level"
    sign: float = 1.0
    base_of: "_Token | None" = None
    base: "_Token | None" = None
    is_range: bool = False
    period: Period | None = None
    period_from_text: bool = False
    base_period: Period | None = None
    entity: str | None = None
    market: str | None = None
    extra: dict[str, object] = field(default_factory=dict)

    def value_scalar(self) -> float:
        v = self.value
        return float(v[-1]) if isinstance(v, list) else float(v)


_WORD_AFTER = re.compile(r"[\s-]?([A-Za-z][A-Za-z-]*(?:\s+(?:sold|recalled))?)")
_NOUN_AFTER = re.compile(
    r"(?:\s+|-)?(?:(?:new|more|electric|fatal|deadly|serious|additional|further|firm|locked|paid|retail|"
    r"refundable|non-refundable|confirmed|cumulative|total|of\s+(?:its|their|the|his|her)|of|EV|NEV|"
    r"passenger|premium|smart|own|[A-Z][A-Za-z0-9]{1,12})(?:\s+|-))"
    r"{0,3}([A-Za-z][A-Za-z-]*)"
)
_CJK_NOUN_AFTER = re.compile(r"\s?(辆|台|单|起|家|部|个订单|份订单|订单)")
_CURRENCY_AFTER = re.compile(
    r"\s*(?i:(us\s+dollars|u\.s\.\s+dollars|hong\s+kong\s+dollars|hk\s+dollars|dollars|dollar|yuan|renminbi|rmb|cny|usd|"
    r"hkd|euros|euro|eur|pounds|yen))(?![A-Za-z])|\s?(人民币|美元|港元|欧元|元)"
)
_DURATION_AFTER = re.compile(
    r"(?:\s+|-)(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)(?![A-Za-z])|\s?(秒|分钟|小时|天)"
)
_TIME_AFTER = re.compile(r"(?::\d\d|\s?(?:a\.m\.|p\.m\.|am|pm|AM|PM|o'clock|GMT|UTC|BST|CET|CST|EST|ET|PT|PST|h\b))")
_LIST_BEFORE = re.compile(r"(?:^|\n)[ \t]*(?:[-*•]\s*)?\(?$")
_RANK_BEFORE = re.compile(r"(?i)(?:(?<![A-Za-z])(?:top|no\.|number|rank(?:ed)?|#|step|chapter|section|page|figure|table|item|article|rule|grade|level|tier|phase|version|v\.?)\s*$|#$)")
_PHONE_RE = re.compile(r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]\d{2,5}){2,4}")
_SCALE_M_OK = re.compile(
    r"\s*(?i:units|vehicles|cars|evs|nevs|users|people|orders|phones|smartphones|devices|shares|downloads|yuan|dollars|"
    r"euros|rmb|in\s+(?:revenue|sales|profit|funding)|of\s+(?:revenue|sales|funding))(?![A-Za-z])"
)
_CAP_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z0-9.&]*)[\s-]$")


def _chunk_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    a = start
    lo = max(0, start - 200)
    while a > lo and not text[a - 1].isspace():
        a -= 1
    b = end
    hi = min(len(text), end + 200)
    while b < hi and not text[b].isspace():
        b += 1
    return a, b


def _is_noise(text: str, start: int, end: int, ss: int) -> bool:
    """URLs, e-mail, times of day, phone numbers, list labels, fractions, versions, ratios."""
    a, b = _chunk_bounds(text, start, end)
    chunk = text[a:b]
    if "://" in chunk or "www." in chunk or "@" in chunk or ".htm" in chunk or ".com" in chunk or ".cn/" in chunk:
        return True
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    after2 = text[end:end + 2]
    if before in "/:#" or after in "/" or (after == ":" and after2[1:2].isdigit()):
        return True
    if after == "." and after2[1:2].isdigit():  # 2.0.1
        return True
    if _TIME_AFTER.match(text, end, min(len(text), end + 8)):
        return True
    if _LIST_BEFORE.search(text, max(0, start - 6), start) and re.match(r"[.)]\s", text[end:end + 2]):
        return True
    if _RANK_BEFORE.search(text, max(ss, start - 12), start):
        return True
    window_a = max(ss, start - 24)
    for m in _PHONE_RE.finditer(text, window_a, min(len(text), end + 24)):
        if m.start() <= start and end <= m.end():
            digits = sum(ch.isdigit() for ch in m.group(0))
            if digits >= 8 and "," not in m.group(0):
                return True
    return False


def _is_model_number(text: str, tok: _Token, ss: int, title_case: bool) -> bool:
    """'Model 3', 'Xiaomi 15 Ultra', 'Chapter 11': a small bare integer that belongs to a name."""
    q = tok.q
    if q.is_word or q.currency or q.percent or q.scale != 1.0 or q.separators or q.decimals or q.value >= 1000:
        return False
    if MODEL_SUFFIX.match(text, tok.end, min(len(text), tok.end + 20)):
        return True
    m = _CAP_WORD_BEFORE.search(text, max(ss, tok.start - 30), tok.start)
    if not m:
        return False
    word = m.group(1)
    low = word.lower().rstrip(".")
    if low in NOT_MODEL_PREFIX:
        return False
    if low in MODEL_PREFIX_WORDS:
        return True
    if title_case:
        return False
    if not any(ch.isupper() for ch in word):
        return False
    # A capitalised word that starts the sentence is just the sentence's first word.
    if m.start(1) == ss or not text[ss:m.start(1)].strip():
        return False
    return True


def _read_tokens(text: str, ss: int, se: int, matches: list[re.Match[str]]) -> list[_Token]:
    toks: list[_Token] = []
    for m in matches:
        q = read_match(m)
        if q is None:
            continue
        start, end = m.start(), m.end()
        # trailing whitespace of an optional group belongs to the text that follows
        while end > start and text[end - 1].isspace():
            end -= 1
        if q.currency and m.group("cur") and m.group(0).startswith(m.group("cur")) and m.group("cur").strip() != m.group("cur"):
            pass
        toks.append(_Token(start, end, q, q.value, q.precision, unit=q.unit, qstart=start, span_end=end,
                           ordinal=q.ordinal))
    return toks


def _attach_units(text: str, tok: _Token, se: int) -> None:
    """Currency words, durations and counted nouns written after the number."""
    end = tok.end
    limit = min(se, end + 60)
    if tok.unit is None:
        cm = _CURRENCY_AFTER.match(text, end, limit)
        if cm:
            word = (cm.group(1) or cm.group(2) or "").lower()
            word = " ".join(word.split())
            code = CURRENCY_WORDS.get(word)
            if code:
                tok.unit = code
                tok.end = tok.span_end = cm.end()
                return
        dm = _DURATION_AFTER.match(text, end, limit)
        if dm:
            word = (dm.group(1) or dm.group(2) or "").lower()
            tok.unit = DURATION_UNITS.get(word, DURATION_UNITS.get(word.rstrip("s")))
            tok.duration = True
            tok.span_end = dm.end()
            return
        jm = _CJK_NOUN_AFTER.match(text, end, limit)
        if jm:
            noun = jm.group(1)
            tok.unit = {"辆": "vehicles", "台": "vehicles", "单": "orders", "起": "incidents", "家": "stores",
                        "部": "devices"}.get(noun, "orders")
            tok.noun = noun
            tok.span_end = jm.end()
            return
        nm = _NOUN_AFTER.match(text, end, limit)
        if nm:
            noun = nm.group(1).lower()
            unit = COUNT_NOUNS.get(noun)
            if unit is None and noun.endswith("s") and noun[:-1] in COUNT_NOUNS:
                unit = COUNT_NOUNS[noun[:-1]]
            if unit is not None:
                tok.unit = unit
                tok.noun = noun
                tok.span_end = nm.end()
                sold = re.match(r"\s+(sold|recalled|delivered|moved)(?![A-Za-z])", text[nm.end():nm.end() + 12])
                if sold:
                    tok.span_end = nm.end() + sold.end()
    am = QUALIFIER_AFTER.match(text, tok.span_end, min(se, tok.span_end + 14))
    if am is None and tok.end != tok.span_end:
        am = QUALIFIER_AFTER.match(text, tok.end, min(se, tok.end + 14))
    if am:
        if tok.qualifier == "exact":
            tok.qualifier = am.lastgroup or "exact"
        if am.start() == tok.end and am.lastgroup == "over":
            tok.end = am.end()
            tok.span_end = max(tok.span_end, tok.end)


def _attach_qualifier(text: str, tok: _Token, ss: int) -> None:
    a = max(ss, tok.start - 40)
    m = QUALIFIER_BEFORE.search(text, a, tok.start)
    if m:
        tok.qualifier = m.lastgroup or "exact"
        tok.qstart = m.start()
        return
    m = QUALIFIER_BEFORE_CJK.search(text, max(ss, tok.start - 4), tok.start)
    if m:
        tok.qualifier = m.lastgroup or "exact"
        tok.qstart = m.start()


def _word_number_ok(tok: _Token) -> bool:
    """A number in words is a claim only with a scale ('two million') or a counted noun or unit after it."""
    if not tok.q.is_word:
        return True
    if tok.q.value >= 1000 or tok.q.precision > 0:
        return True
    return tok.unit is not None


# -- sentence analysis --------------------------------------------------------------

_STRONG_BOUNDARY = re.compile(r";|:\s|\s[—–-]{1,2}\s|\(|\)|\[|\]|,\s(?:but|while|whereas|although|though|and)\s|\s(?:but|while|whereas)\s|，|；")
_COMMA_BOUNDARY = re.compile(r",(?!\d{3})|;|:\s|\s[—–-]{1,2}\s|\(|\)|\s(?:but|while|whereas|and)\s|，|；")
_BASE_BEFORE = re.compile(
    r"(?i)(?<![A-Za-z])(?:(?:up|down|rising|falling|rose|fell|increased|decreased|grew|jumped|climbed|dropped|declined|"
    r"surged|slipped|slid|edged\s+(?:up|down))\s+(?:\S+\s+){0,3}?from|compared\s+(?:with|to)|versus|vs\.?|against|"
    r"than|from)\s+(?:the\s+|a\s+|an\s+)?(?:[a-z]+\s+){0,2}?$"
)
_FROM_BEFORE = re.compile(r"(?i)(?<![A-Za-z])from\s+(?:(?:a|an|the|just|only|about|around|roughly|some|nearly|almost|over|"
                          r"more\s+than|under|below|less\s+than|respectable|mere|record|healthy|modest|[a-z]+ly)\s+){0,3}$")
_TO_GAP = re.compile(r"(?i)^(?:\s+(?:[\w'’-]+\s+){0,5}?|\s*,\s*(?:[\w'’-]+\s+){0,4}?|\s*)(?:to|and|-|–|—|~|至|到)\s*$")
_RANGE_GAP = re.compile(r"^\s*(?:-|–|—|~|to|至|到)\s*$")
_RANGE_CUE = re.compile(
    r"(?i)(?<![A-Za-z])(?:between|range|ranges|ranging|ranged|priced|price|prices|pricing|costs?|sells?\s+for|selling\s+for|"
    r"vary|varies|varying|anywhere|estimated|estimates?|expects?|expected|forecasts?|projected|guidance|within)(?![A-Za-z])"
)
_SHARE_OF = re.compile(
    r"(?i)\s*(?:of\s+(?:the\s+|its\s+|all\s+|total\s+|china's\s+|the\s+chinese\s+|global\s+|overall\s+)?"
    r"(?:[\w'’-]+\s+){0,3}?(?:market|sales|deliveries|registrations|segment))"
)
_CHINA = re.compile(r"(?<![A-Za-z])(?:China|Chinese|China's|mainland|domestic)(?![A-Za-z])|中国|国内")
_SENTENCE_VERB_PRESENT = re.compile(r"(?i)(?<![A-Za-z])(?:sells|costs|is|are|trades|goes|retails|holds|has|stands)(?![A-Za-z])")

_VEHICLE_METRICS = frozenset({"deliveries", "sales", "production", "delivery_target", "vehicles_recalled",
                              "milestone_cumulative_production"})
_ORDER_METRICS = frozenset({"pre_orders", "locked_orders"})
_MONEY_METRICS = frozenset({"price_new", "price_resale", "revenue"})
_PERCENT_LEVEL_METRICS = frozenset({"market_share"})
_CURRENT_METRICS = frozenset({"price_new", "price_resale", "market_share", "delivery_target"})
_COUNT_UNITS = frozenset({"vehicles", "orders", "incidents", "people", "stores", "campaigns", "devices", "stations", None})


def _compatible(metric: str, tok: _Token, change: bool) -> bool:
    """Can this number be a value of this metric (a count for deliveries, money for a price…)?"""
    unit = tok.unit
    if metric == "adas_warning_lead_time":
        return tok.duration and unit == "seconds"
    if tok.duration:
        return False
    if change:
        return metric not in ("store_closures",)
    money = unit is not None and unit not in _COUNT_UNITS and unit not in ("percent", "percentage_points")
    percent = unit in ("percent", "percentage_points")
    if metric in _MONEY_METRICS:
        return money
    if metric == "share_price":
        return money or percent
    if metric in _PERCENT_LEVEL_METRICS:
        return percent
    if percent or money:
        return False
    if metric == "store_closures":
        return unit == "stores"
    if metric in ("fatal_incidents",):
        return unit in ("incidents", "people", None) and tok.value_scalar() < 10_000
    if metric == "recalls":
        return unit in ("campaigns", None) and tok.value_scalar() < 10_000
    if metric in _ORDER_METRICS:
        return unit in ("orders", None, "vehicles")
    if metric in _VEHICLE_METRICS:
        return unit in ("vehicles", None)
    return unit in _COUNT_UNITS


@dataclass(slots=True)
class _Sentence:
    start: int
    end: int
    para: int
    lowered: str
    periods: list[PeriodMention]
    bases: list[tuple[int, int, str]]
    comparisons: list[Comparison]
    phrases: list[tuple[int, int, MetricPhrase]]
    strong: list[int]
    commas: list[int]
    title_case: bool


def _is_title_case(text: str) -> bool:
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", text)
    if len(words) < 4:
        return False
    small = {"a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "by", "with", "as", "vs", "from"}
    content = [w for w in words if w.lower() not in small]
    if not content:
        return False
    caps = sum(1 for w in content if w[0].isupper())
    return caps / len(content) >= 0.75 and not text.rstrip().endswith((".", "!", "?"))


def _count_between(bounds: list[int], a: int, b: int) -> int:
    if a > b:
        a, b = b, a
    return bisect_left(bounds, b) - bisect_right(bounds, a)


def _choose_metric(text: str, sent: _Sentence, tok: _Token, change: bool) -> None:
    """Metric words right after the number win, then the nearest specific ones before it in the clause."""
    right: tuple[int, int, MetricPhrase] | None = None
    left_specific: tuple[int, int, MetricPhrase] | None = None
    left_generic: tuple[int, int, MetricPhrase] | None = None
    right_later: tuple[int, int, MetricPhrase] | None = None
    anchor_end = max(tok.end, tok.span_end if not tok.duration else tok.end)
    for ps, pe, ph in sent.phrases:
        if pe <= tok.qstart:
            if _count_between(sent.strong, pe, tok.qstart):
                continue
            if tok.qstart - pe > 160:
                continue
            if not _compatible(ph.metric, tok, change):
                continue
            if ph.generic:
                left_generic = (ps, pe, ph)
            else:
                left_specific = (ps, pe, ph)
        elif ps >= tok.end:
            if ps > anchor_end + 40:
                continue
            gap = text[tok.end:ps]
            if right is None and re.fullmatch(r"[\s-]*(?:[A-Za-z][\w'’-]*[\s-]+){0,3}?", gap) and not _count_between(sent.commas, tok.end, ps):
                if _compatible(ph.metric, tok, change) or (ph.metric in _VEHICLE_METRICS and tok.unit == "vehicles"):
                    right = (ps, pe, ph)
            elif right_later is None and change and not _count_between(sent.strong, tok.end, ps) and ps - tok.end < 40:
                if re.match(r"(?i)[\s\w%-]*?(?:in|of)\s+(?:[\w'’-]+\s+){0,2}?$", text[tok.end:ps] + " "):
                    right_later = (ps, pe, ph)
    chosen: tuple[int, int, MetricPhrase] | None = None
    if right is not None and not right[2].generic:
        chosen = right
    elif left_specific is not None:
        chosen = left_specific
    elif right_later is not None:
        chosen = right_later
    elif right is not None:
        chosen = right
    elif left_generic is not None:
        chosen = left_generic
    if chosen is None:
        if tok.unit == "vehicles" and tok.noun and not change:
            tok.metric, tok.generic, tok.metric_phrase = "deliveries", True, tok.noun
        elif tok.unit == "orders" and tok.noun and not change:
            tok.metric, tok.metric_phrase = "pre_orders", tok.noun
        return
    ps, pe, ph = chosen
    tok.metric = ph.metric
    tok.generic = ph.generic
    tok.metric_phrase = text[ps:pe]
    if tok.metric == "pre_orders" and tok.unit is None:
        tok.unit = "orders"


def _choose_entity(text: str, sent: _Sentence, tok: _Token, mentions: list[_Mention], mstarts: list[int],
                   gaz: Gazetteer) -> str | None:
    lo = bisect_left(mstarts, sent.start)
    hi = bisect_left(mstarts, sent.end)
    best: tuple[float, _Mention] | None = None
    a, b = tok.qstart, max(tok.end, tok.span_end)
    for men in mentions[lo:hi]:
        if men.end <= a:
            d = float(a - men.end)
        elif men.start >= b:
            d = (men.start - b) * 1.6 + 8
        else:
            continue
        d += 45 * _count_between(sent.strong, men.end if men.end <= a else b, a if men.end <= a else men.start)
        if men.source == "unknown":
            d += 20
        if men.kind == "market":
            d += 60
        if best is None or d < best[0]:
            best = (d, men)
    if best is None:
        # the last salient entity before the sentence
        i = lo - 1
        while i >= 0:
            men = mentions[i]
            if men.kind != "market" or tok.metric not in _PERCENT_LEVEL_METRICS:
                best = (0.0, men)
                break
            i -= 1
        if best is None:
            return None
    name = best[1].name
    # "Tesla … in China" → Tesla China, when the store holds that entity
    if tok.metric in ("market_share", "sales", "deliveries", None) or tok.generic:
        child = gaz.child_named(name, "China")
        if child is not None:
            sl = text[sent.start:sent.end]
            if _CHINA.search(sl):
                name = child
    # a market share's entity is the one holding the share; the market goes in `market`
    if tok.metric == "market_share":
        for men in mentions[lo:hi]:
            if men.kind == "market":
                tok.market = men.name
                break
    return name


def _choose_period(sent: _Sentence, tok: _Token, skip: set[int]) -> PeriodMention | None:
    a, b = tok.qstart, max(tok.end, tok.span_end)
    best: tuple[tuple[int, float], PeriodMention] | None = None
    for i, pm in enumerate(sent.periods):
        if i in skip or pm.period is None:
            continue
        if pm.end <= a:
            d = float(a - pm.end) * 1.1
            hops = _count_between(sent.commas, pm.end, a)
        elif pm.start >= b:
            d = float(pm.start - b)
            hops = _count_between(sent.commas, b, pm.start)
        else:
            continue
        # a period written after the base number in "up from X in Q3 2024" belongs to X
        rank = (min(hops, 1), d)
        if best is None or rank < best[0]:
            best = (rank, pm)
    return best[1] if best else None


def _relations(text: str, sent: _Sentence, toks: list[_Token]) -> list[_Token]:
    """Merge ranges ('$200-$220', 'between 40,000 and 45,000') and link bases ('up from X', 'from X to Y')."""
    out: list[_Token] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if i + 1 < len(toks):
            n = toks[i + 1]
            gap = text[t.end:n.qstart]
            left = text[max(sent.start, t.qstart - 40):t.qstart]
            between = re.search(r"(?i)(?<![A-Za-z])between\s+(?:[a-z$¥€£]+\s+){0,2}$", left) and re.fullmatch(r"\s+and\s+", gap)
            dash = _RANGE_GAP.fullmatch(gap) and gap.strip() in ("-", "–", "—", "~", "至", "到")
            to_range = _RANGE_GAP.fullmatch(gap) and gap.strip() in ("to", "至", "到") and (
                _RANGE_CUE.search(text, max(sent.start, t.qstart - 50), t.qstart) and not _FROM_BEFORE.search(left)
                or re.search(r"(?i)from\s+$", left) and _RANGE_CUE.search(text, max(sent.start, t.qstart - 50), t.qstart)
            )
            if (between or dash or to_range) and _range_compatible(t, n):
                merged = _merge_range(t, n)
                out.append(merged)
                i += 2
                continue
        out.append(t)
        i += 1
    # bases
    for j, t in enumerate(out):
        left = text[max(sent.start, t.qstart - 60):t.qstart]
        if _FROM_BEFORE.search(left) and j + 1 < len(out):
            n = out[j + 1]
            gap = text[t.end:n.qstart]
            if _TO_GAP.match(gap) and re.search(r"(?i)(?<![A-Za-z])to\s*$|至\s*$|到\s*$", gap) and _same_kind(t, n):
                t.base_of = n
                n.base = t
                continue
        if j > 0 and _BASE_BEFORE.search(left) and not re.search(r"(?i)(?<![A-Za-z])to\s*$", left):
            p = out[j - 1]
            if p.base is None and _same_kind(t, p) and not _count_between(sent.strong, p.end, t.qstart) or (
                p.base is None and _same_kind(t, p) and text[p.end:t.qstart].count("(") == 1
            ):
                t.base_of = p
                p.base = t
    return out


def _same_kind(a: _Token, b: _Token) -> bool:
    pa = a.unit in ("percent", "percentage_points")
    pb = b.unit in ("percent", "percentage_points")
    if pa != pb:
        return False
    if a.duration or b.duration:
        return False
    if a.unit and b.unit and a.unit != b.unit:
        return a.unit in _COUNT_UNITS and b.unit in _COUNT_UNITS and (a.unit is None or b.unit is None)
    return True


def _range_compatible(a: _Token, b: _Token) -> bool:
    if isinstance(a.value, list) or isinstance(b.value, list):
        return False
    if a.duration != b.duration:
        return False
    if a.unit and b.unit and a.unit != b.unit:
        return False
    av = float(a.value)
    bv = float(b.value)
    # '$1.2-1.5 billion', '10-15%': the first number takes the second's scale and unit
    if a.q.scale == 1.0 and b.q.scale != 1.0 and av * b.q.scale <= bv * 1.0001:
        av *= b.q.scale
    return 0 <= av < bv


def _merge_range(a: _Token, b: _Token) -> _Token:
    av = float(a.value)
    precision_a = a.precision
    if a.q.scale == 1.0 and b.q.scale != 1.0 and av * b.q.scale <= float(b.value):
        precision_a = (10.0 ** -a.q.decimals if a.q.decimals else 1.0) * b.q.scale
        av *= b.q.scale
    unit = b.unit or a.unit
    tok = _Token(a.start, b.end, b.q, [av, float(b.value)], max(precision_a, b.precision), unit=unit,
                 qualifier=a.qualifier if a.qualifier != "exact" else "exact", qstart=a.qstart,
                 span_end=max(b.span_end, b.end), noun=b.noun or a.noun, duration=b.duration)
    tok.is_range = True
    if (a.unit in ("percent", "percentage_points") or b.unit in ("percent", "percentage_points")) and a.precision == 0:
        tok.precision = max(1.0, b.precision)
    return tok


def _percent_kind(text: str, sent: _Sentence, tok: _Token) -> tuple[bool, float]:
    """Is a percent a change (and which way) or a level?"""
    a = max(sent.start, tok.qstart - 70)
    left = text[a:tok.qstart]
    right = text[tok.end:min(sent.end, tok.end + 60)]
    if tok.unit == "percentage_points":
        cb = CHANGE_BEFORE.search(left)
        if cb:
            return True, -1.0 if cb.group("down") else 1.0
        ca = CHANGE_AFTER.match(right)
        return True, -1.0 if ca and ca.group("down") else 1.0
    by = re.search(r"(?i)(?<![A-Za-z])by\s*$", left)
    if by:
        down = False
        for cb in re.finditer(rf"(?i)(?<![A-Za-z])(?:(?P<up>{CHANGE_UP})|(?P<down>{CHANGE_DOWN}))(?![A-Za-z])", left):
            down = bool(cb.group("down"))
        return True, -1.0 if down else 1.0
    if LEVEL_BEFORE.search(left):
        # 'share fell to 4.5%', 'from 16%': levels — unless a comparison says otherwise ('rose to 30% year on year' is rare)
        return False, 1.0
    cb = CHANGE_BEFORE.search(left)
    if cb:
        return True, -1.0 if cb.group("down") else 1.0
    cn = CN_CHANGE_BEFORE.search(text, max(sent.start, tok.qstart - 8), tok.qstart)
    if cn:
        return True, -1.0 if cn.group("down") else 1.0
    ca = CHANGE_AFTER.match(right)
    if ca:
        return True, -1.0 if ca.group("down") else 1.0
    for c in sent.comparisons:
        if 0 <= c.start - tok.end <= 30 or 0 <= tok.qstart - c.end <= 12:
            return True, 1.0
    return False, 1.0


def _comparison_basis(sent: _Sentence, tok: _Token) -> str | None:
    best: tuple[int, str] | None = None
    for c in sent.comparisons:
        if _count_between(sent.strong, min(c.end, tok.qstart), max(c.start, tok.end)):
            continue
        d = c.start - tok.end if c.start >= tok.end else tok.qstart - c.end
        if d < 0:
            d = 0
        if d > 120:
            continue
        if best is None or d < best[0]:
            best = (d, c.basis)
    for s, e, basis in sent.bases:
        d = s - tok.end if s >= tok.end else tok.qstart - e
        if 0 <= d <= 80 and (best is None or d < best[0]):
            best = (d, basis)
    return best[1] if best else None


def _shift(period: Period | None, basis: str | None) -> Period | None:
    if period is None or basis is None:
        return None
    try:
        if basis == "yoy":
            return period.same_period_last_year()
        if basis == "qoq":
            if period.kind == "quarter":
                return period.previous()
            return period.shift_months(-3)
        if basis == "mom":
            return period.shift_months(-1) if period.kind in ("month", "day") else period.previous()
    except PeriodError:
        return None
    return None


def _multiplier_tokens(text: str, ss: int, se: int) -> list[_Token]:
    out = []
    for m in MULTIPLIER_RE.finditer(text, ss, se):
        word = m.group("word").lower()
        value = MULTIPLIER_VALUES[word]
        qword = (m.group("q") or "").lower()
        qualifier = {"more than": "over", "over": "over", "nearly": "almost", "almost": "almost"}.get(" ".join(qword.split()), "about")
        q = Quantity(value=value, precision=0.0, unit="percent", percent="percent", raw=m.group(0))
        tok = _Token(m.start("word"), m.end(), q, value, 0.0, unit="percent", qualifier=qualifier, qstart=m.start(),
                     span_end=m.end(), multiplier=True)
        tok.kind = "change_pct"
        out.append(tok)
    return out


def _analyse(text: str, today: date, gaz: Gazetteer, sent: _Sentence, raw: list[re.Match[str]],
             mentions: list[_Mention], mstarts: list[int], state: "_DocState") -> list[_Token]:
    ss, se = sent.start, sent.end
    toks = _read_tokens(text, ss, se, raw)
    # numbers inside time expressions, entity names or noise are not claims
    period_spans = [(p.start, p.end) for p in sent.periods]
    lo, hi = bisect_left(mstarts, ss), bisect_left(mstarts, se)
    name_spans = [(m.start, m.end) for m in mentions[lo:hi] if m.source == "alias"]
    kept: list[_Token] = []
    for t in toks:
        if any(ps < t.end and t.start < pe for ps, pe in period_spans):
            continue
        if any(ps < t.end and t.start < pe for ps, pe in name_spans):
            continue
        if t.ordinal:
            if t.q.value >= 1000 and re.match(r"\s+(?:[a-z-]+\s+)?(?:car|vehicle|unit|EV|SU7|YU7)", text[t.end:t.end + 30], re.I):
                t.metric, t.metric_phrase, t.unit = "milestone_cumulative_production", text[t.end:t.end + 30].split()[0], "vehicles"
                kept.append(t)
            continue
        if t.q.unit is None and not t.q.is_word and t.q.scale == 1.0 and not t.q.separators and not t.q.decimals \
                and 1900 <= t.q.value <= 2100:
            continue  # a year the period grammar did not take ('the 2025s'): never a count
        if not t.q.is_word and _is_noise(text, t.start, t.end, ss):
            continue
        if _is_model_number(text, t, ss, sent.title_case):
            continue
        raw_scale = (t.q.raw or "")
        if t.q.scale in (1e6, 1e9) and not t.q.currency and re.search(r"\d[mMbB]$", raw_scale.strip()):
            if not _SCALE_M_OK.match(text, t.end, min(se, t.end + 24)):
                continue
        _attach_units(text, t, se)
        if not _word_number_ok(t):
            continue
        _attach_qualifier(text, t, ss)
        kept.append(t)
    kept += _multiplier_tokens(text, ss, se)
    kept.sort(key=lambda t: t.start)
    if not kept:
        return []
    toks = _relations(text, sent, kept)
    # kinds and metrics
    for t in toks:
        if t.metric is not None and t.ordinal:
            continue
        change = False
        if t.multiplier:
            change = True
        elif t.unit in ("percent", "percentage_points"):
            change, t.sign = _percent_kind(text, sent, t)
        if t.base_of is not None:
            continue
        _choose_metric(text, sent, t, change)
        if t.unit in ("percent",) and not change and t.metric is None and _SHARE_OF.match(text, t.end, min(se, t.end + 60)):
            t.metric, t.metric_phrase = "market_share", "share"
        if change:
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
    # a base shares what it is a base of
    for t in toks:
        p = t.base_of
        if p is None:
            continue
        t.metric, t.generic, t.metric_phrase, t.kind = p.metric, p.generic, p.metric_phrase, p.kind
        if t.unit is None:
            t.unit = p.unit
        if p.unit is None and t.unit is not None:
            p.unit = t.unit
        t.sign = p.sign if p.kind == "change_pct" else 1.0
        p.extra["base_value"] = t.value_scalar()
    # entities, periods
    taken: set[int] = set()
    for t in toks:
        t.entity = _choose_entity(text, sent, t, mentions, mstarts, gaz)
    for t in toks:
        pm = _choose_period(sent, t, set())
        if pm is not None and t.base_of is not None:
            # only a period written right after the base belongs to it
            if not (0 <= pm.start - max(t.end, t.span_end) <= 4 or 0 <= t.qstart - pm.end <= 3):
                pm = None
        if pm is not None and t.base is not None:
            # 'up from X in Q3 2024': the period after the base is not the current one
            if pm.start >= t.base.end and pm.start - t.base.end <= 4:
                others = [i for i, p in enumerate(sent.periods) if p is not pm]
                pm = None
                for i in others:
                    q = sent.periods[i]
                    if q.end <= t.qstart or (q.start >= max(t.end, t.span_end) and q.start < t.base.qstart):
                        pm = q
                        break
        if pm is not None:
            t.period = pm.period
            t.period_from_text = True
            if pm.as_of and t.metric in ("delivery_target",) and pm.period is not None:
                t.period = Period.year(pm.period.end.year)
    for t in toks:
        if t.period is None and t.base_of is not None:
            p = t.base_of
            basis = _comparison_basis(sent, t) or _comparison_basis(sent, p)
            t.period = _shift(p.period, basis) if basis and p.kind != "change_pct" else p.period
            if t.period is None and p.period is None:
                t.period = None
        if t.kind == "change_pct":
            basis = _comparison_basis(sent, t)
            if t.base is not None and t.base.period is not None and t.period is not None and t.base.period != t.period:
                t.base_period = t.base.period
            elif basis:
                t.base_period = _shift(t.period, basis)
    _default_periods(text, today, gaz, sent, toks, state)
    for t in toks:
        if t.kind == "change_pct" and t.base_period is None and t.period is not None:
            basis = _comparison_basis(sent, t)
            if basis:
                t.base_period = _shift(t.period, basis)
    del taken
    return toks


@dataclass(slots=True)
class _DocState:
    """What earlier sentences said: the last period of each (entity, metric), the last explicit period."""

    last_metric_period: dict[tuple[str | None, str | None], Period] = field(default_factory=dict)
    last_sentence: tuple[int, str | None, Period | None] | None = None  # (para, entity, period)


def _default_periods(text: str, today: date, gaz: Gazetteer, sent: _Sentence, toks: list[_Token], state: _DocState) -> None:
    """Periods for claims whose sentence names none, by metric and by what came before."""
    for t in toks:
        if t.period is not None:
            continue
        info = gaz.entity(t.entity) if t.entity else None
        if t.metric in ("pre_orders", "locked_orders") and info is not None and info.launched is not None:
            t.period = Period.day(info.launched)
        elif t.kind == "count" and gaz.is_event_metric(t.metric):
            start = info.launched if info is not None and info.launched else None
            if start is None and info is not None and info.parent:
                parent = gaz.entity(info.parent)
                start = parent.launched if parent else None
            if start is not None and start <= today:
                t.period = Period(start, today)
        elif t.metric == "delivery_target":
            t.period = state.last_metric_period.get((t.entity, t.metric)) or Period.year(today.year)
    # within the sentence: a claim without a period takes the nearest one that has one
    for t in toks:
        if t.period is not None or t.base_of is not None:
            continue
        near = None
        for o in toks:
            if o is t or o.period is None:
                continue
            d = abs(o.start - t.start)
            if near is None or d < near[0]:
                near = (d, o)
        if near is not None and (near[1].period_from_text or near[1].metric == t.metric or t.kind == "change_pct"):
            t.period = near[1].period
    for t in toks:
        if t.period is not None:
            continue
        last = state.last_sentence
        if last is not None and last[0] == sent.para and last[1] == t.entity and last[2] is not None and t.metric not in _CURRENT_METRICS:
            t.period = last[2]
        elif t.metric in _CURRENT_METRICS and _SENTENCE_VERB_PRESENT.search(text, sent.start, sent.end):
            t.period = Period.year(today.year)
        elif t.metric in ("price_new", "price_resale", "market_share"):
            t.period = Period.year(today.year)
    for t in toks:
        if t.period is not None and t.metric:
            state.last_metric_period[(t.entity, t.metric)] = t.period
    explicit = [t for t in toks if t.period_from_text and t.period is not None]
    if explicit:
        state.last_sentence = (sent.para, explicit[-1].entity, explicit[-1].period)
    elif toks:
        state.last_sentence = (sent.para, toks[-1].entity, state.last_sentence[2] if state.last_sentence else None)


def _sentences_with_numbers(text: str, sentences: list[tuple[int, int, int]], numbers: list[re.Match[str]],
                            multipliers: list[int]) -> dict[int, list[re.Match[str]]]:
    starts = [s for s, _, _ in sentences]
    out: dict[int, list[re.Match[str]]] = {}
    for m in numbers:
        i = bisect_right(starts, m.start()) - 1
        if i >= 0:
            out.setdefault(i, []).append(m)
    for pos in multipliers:
        i = bisect_right(starts, pos) - 1
        if i >= 0:
            out.setdefault(i, [])
    return out


_MULTIPLIER_SCAN = re.compile(r"(?=[dtqhDTQH])(?<![A-Za-z])(?i:doubl|tripl|trebl|quadrupl|halv)")


def extract(
    text: str,
    /,
    *,
    date: date,
    gazetteer: Gazetteer,
    include_unresolved: bool = False,
) -> list[Claim]:
    """The claims in a plain text, with offsets into it.

    ``date`` is the document date relative expressions resolve against;
    ``gazetteer`` says which names are entities (see :func:`default_gazetteer`).
    Numbers whose metric cannot be told are left out unless
    ``include_unresolved`` is set.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    if not text.strip():
        return []
    today = date
    gaz = gazetteer
    sentences = split_sentences(text)
    numbers = scan_numbers(text)
    multipliers = [m.start() for m in _MULTIPLIER_SCAN.finditer(text)]
    by_sentence = _sentences_with_numbers(text, sentences, numbers, multipliers)
    if not by_sentence:
        return []
    mentions = _resolve_mentions(text, gaz)
    mstarts = [m.start for m in mentions]
    state = _DocState()
    tokens: list[tuple[_Token, _Sentence]] = []
    for i in sorted(by_sentence):
        ss, se, para = sentences[i]
        sent = _make_sentence(text, ss, se, para, today, gaz)
        for t in _analyse(text, today, gaz, sent, by_sentence[i], mentions, mstarts, state):
            tokens.append((t, sent))
    claims: list[Claim] = []
    for t, sent in tokens:
        if t.metric is None and not include_unresolved:
            continue
        claims.append(_to_claim(text, t, sent, len(claims) + 1))
    return claims


def _make_sentence(text: str, ss: int, se: int, para: int, today: date, gaz: Gazetteer) -> _Sentence:
    lowered_full = text[ss:se].lower()
    # phrases are matched on a lower-cased copy; offsets are shifted back to the text
    phrases = [(s + ss, e + ss, p) for s, e, p in gaz.find_metric_phrases(lowered_full)]
    strong = [m.start() + ss for m in _STRONG_BOUNDARY.finditer(lowered_full)]
    commas = [m.start() + ss for m in _COMMA_BOUNDARY.finditer(lowered_full)]
    return _Sentence(
        start=ss,
        end=se,
        para=para,
        lowered=lowered_full,
        periods=find_periods(text, ss, se, today=today),
        bases=find_bases(text, ss, se),
        comparisons=find_comparisons(text, ss, se),
        phrases=phrases,
        strong=strong,
        commas=commas,
        title_case=_is_title_case(text[ss:se]),
    )


def _to_claim(text: str, t: _Token, sent: _Sentence, n: int) -> Claim:
    start = t.qstart
    end = max(t.end, t.span_end)
    if t.multiplier:
        end = t.end
    value: float | list[float]
    if isinstance(t.value, list):
        value = [t.sign * v for v in t.value] if t.sign < 0 else list(t.value)
    else:
        value = t.sign * float(t.value) if t.kind == "change_pct" else float(t.value)
    base_value = t.extra.get("base_value")
    return Claim(
        id=f"c{n}",
        text=text[start:end],
        start=start,
        end=end,
        entity=t.entity,
        metric=t.metric,
        kind=t.kind,  # type: ignore[arg-type]
        period=ClaimPeriod.of(t.period),
        base_period=ClaimPeriod.of(t.base_period),
        value=value,
        unit=t.unit,
        qualifier=t.qualifier,  # type: ignore[arg-type]
        precision=t.precision,
        market=t.market,
        metric_phrase=t.metric_phrase,
        generic_volume=t.generic,
        base_value=float(base_value) if isinstance(base_value, (int, float)) else None,
        sentence_start=sent.start,
        sentence_end=sent.end,
    )


def _iter_claims(claims: Iterable[Claim]) -> Iterable[Claim]:  # pragma: no cover - helper for notebooks
    yield from claims
