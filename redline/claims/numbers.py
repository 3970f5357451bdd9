"""Numbers in a sentence: which are claims, their units and qualifiers, ranges and bases.

A number candidate found by :func:`redline.units.scan_numbers` becomes a
:class:`Token` when it is not a year, a date, a time of day, part of a name
('Model 3', 'Redmi Note 13 Pro'), a URL, a phone number or a list label. The
token then reads the words around it: a currency or counted noun after it
('300,000 yuan', '108,796 cars sold', 'two-second'), a qualifier before or
after it ('almost 15%', '40,000-plus'). :func:`link` merges ranges
('$200-$220', 'between 40,000 and 45,000') and links bases ('up from X',
'from X to Y').
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from ..periods import Period
from ..units import COUNT_NOUNS, CURRENCY_WORDS, DURATION_UNITS, Quantity, read_match
from .lexicon import (
    MODEL_PREFIX_WORDS,
    MODEL_SUFFIX,
    MULTIPLIER_RE,
    MULTIPLIER_VALUES,
    NOT_MODEL_PREFIX,
    OVER_SPAN_AFTER,
    OVER_SPAN_KEEP_BEFORE,
    PARTICLE_OVER_BEFORE,
    QUALIFIER_AFTER,
    QUALIFIER_BEFORE_CJK,
    TAKE_BEFORE,
    qualifier_before,
)
from .sentences import count_between

__all__ = ["Token", "read_tokens", "link", "multiplier_tokens"]


@dataclass(slots=True)
class Token:
    """A number that may be a claim, and what the extractor learns about it."""

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
    noun_start: int = 0
    duration: bool = False
    measure: bool = False
    multiplier: bool = False
    ordinal: bool = False
    metric: str | None = None
    metric_phrase: str | None = None
    generic: bool = False
    kind: str = "level"
    change: bool = False
    sign: float = 1.0
    base_of: "Token | None" = None
    base: "Token | None" = None
    base_value: float | None = None
    is_range: bool = False
    period: Period | None = None
    period_from_text: bool = False
    period_basis: str | None = None
    as_of: bool = False
    base_period: Period | None = None
    entity: str | None = None
    entity_direct: bool = False
    entity_basis: str | None = None
    market: str | None = None
    cumulative: bool = False
    notes: list[str] = field(default_factory=list)

    def scalar(self) -> float:
        v = self.value
        return float(v[-1]) if isinstance(v, list) else float(v)

    @property
    def right(self) -> int:
        return max(self.end, self.span_end)


_NOUN_AFTER = re.compile(
    r"(?:\s+|-)?(?:(?:new|more|electric|fatal|deadly|serious|additional|further|firm|locked|paid|retail|"
    r"refundable|non-refundable|confirmed|cumulative|total|passenger|premium|smart|own|used|refurbished|"
    r"(?:car|road|traffic|vehicle|highway)(?=\s+(?:crash|accident|collision|incident))|"
    r"of\s+(?:its|their|the|his|her)|of|EV|NEV|[A-Z][A-Za-z0-9]{0,12}\+?)(?:\s+|-))"
    r"{0,3}([A-Za-z][A-Za-z-]*)"
)
_CJK_NOUN_AFTER = re.compile(r"\s?(辆|台|单|起|家|部|个订单|份订单|订单)")
_CJK_UNITS = {"辆": "vehicles", "台": "vehicles", "单": "orders", "起": "incidents", "家": "stores", "部": "devices"}
_CURRENCY_AFTER = re.compile(
    r"\s*(?i:(us\s+dollars|u\.s\.\s+dollars|hong\s+kong\s+dollars|hk\s+dollars|dollars|dollar|yuan|renminbi|rmb|cny|usd|"
    r"hkd|euros|euro|eur|pounds|yen))(?![A-Za-z])|\s?(人民币|美元|港元|欧元|元)"
)
_DURATION_AFTER = re.compile(
    r"(?:\s+|-)(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)(?![A-Za-z])|\s?(秒|分钟|小时|天)"
)
_TIME_AFTER = re.compile(r"(?::\d\d|\s?(?:a\.m\.|p\.m\.|am|pm|AM|PM|o'clock|GMT|UTC|BST|CET|CST|EST|ET|PT|PST)(?![A-Za-z]))")
_LIST_BEFORE = re.compile(r"(?:^|\n)[ \t]*(?:[-*•]\s*)?\(?$")
_RANK_BEFORE = re.compile(
    r"(?i)(?:(?<![A-Za-z])(?:top|no\.|number|rank(?:ed)?|step|chapter|section|page|figure|table|item|article|rule|grade|"
    r"level|tier|phase|version|v\.?|gen|generation|series|aged|age|ages|per|every)\s*$|#\s*$)"
)
_LABEL_AFTER = re.compile(r"[.)]\s")
_INLINE_LABEL_BEFORE = re.compile(r"(?:^|[;:,(]\s?)$")
_MEASURE_AFTER = re.compile(
    r"\s?(?:GWh|MWh|kWh|TWh|GW|MW|kW|km/h|kph|mph|km|mi|kg|tonnes?|tons?|mAh|Ah|nm|mm|cm|inch(?:es)?|in\.|ft|hp|PS|"
    r"Nm|lbs?|liters?|litres?|L|degrees?|°C?|x)(?![A-Za-z0-9])"
)
_AGE_AFTER = re.compile(r"-year-old|\s+years?\s+old")
_PHONE_RE = re.compile(r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]\d{2,5}){2,4}")
_SCALE_M_OK = re.compile(
    r"\s*(?i:units|vehicles|cars|evs|nevs|users|people|orders|phones|smartphones|devices|shares|downloads|yuan|dollars|"
    r"euros|rmb|in\s+(?:revenue|sales|profit|funding)|of\s+(?:revenue|sales|funding))(?![A-Za-z])"
)
_CAP_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z0-9.&]*)[\s-]$")


def _chunk(text: str, start: int, end: int) -> str:
    """The whitespace-delimited word around a number (at most 200 characters each side)."""
    lo = max(0, start - 200)
    a = max(text.rfind(" ", lo, start), text.rfind("\n", lo, start), text.rfind("\t", lo, start)) + 1
    a = max(a, lo)
    hi = min(len(text), end + 200)
    b = _SPACE.search(text, end, hi)
    return text[a:b.start() if b else hi]


_SPACE = re.compile(r"\s")


_PROSE_BEFORE = frozenset(" \n\t(“\"'$¥€£‘[—–")
_PROSE_AFTER = frozenset(" \n\t,;)”\"'%’]!?—–")


def _is_noise(text: str, start: int, end: int, ss: int) -> bool:
    """URLs, e-mail, times of day, phone numbers, list labels, ranks, fractions, versions, ages."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    nxt = text[end + 1:end + 2]
    if before in "/:#" or after == "/" or (after == ":" and nxt.isdigit()) or (after == "." and nxt.isdigit()):
        return True
    if not (before in _PROSE_BEFORE and (after in _PROSE_AFTER or (after == "." and not nxt.strip()))):
        chunk = _chunk(text, start, end)
        if "://" in chunk or "www." in chunk or "@" in chunk or ".htm" in chunk or ".com" in chunk or ".cn/" in chunk:
            return True
    if _TIME_AFTER.match(text, end, min(len(text), end + 8)):
        return True
    if _AGE_AFTER.match(text, end, min(len(text), end + 12)):
        return True
    if _LABEL_AFTER.match(text, end, end + 2) and (
        _LIST_BEFORE.search(text, max(0, start - 6), start)
        or (after == ")" and _INLINE_LABEL_BEFORE.search(text, max(0, start - 4), start))
    ):
        return True  # a list label: "1. Xiaomi", "2) the YU7 backlog"
    if _RANK_BEFORE.search(text, max(ss, start - 12), start):
        return True
    if "," in text[start:end] or "." in text[start:end] or end - start > 5:
        return False
    for m in _PHONE_RE.finditer(text, max(ss, start - 24), min(len(text), end + 24)):
        if m.start() <= start and end <= m.end():
            group = m.group(0)
            if sum(ch.isdigit() for ch in group) >= 8 and "," not in group:
                return True
    return False


def _is_model_number(text: str, tok: Token, ss: int, title_case: bool) -> bool:
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
    if title_case or not any(ch.isupper() for ch in word):
        return False
    # the first word of a sentence is capitalised anyway
    return bool(text[ss:m.start(1)].strip())


def _attach_units(text: str, tok: Token, se: int) -> None:
    """Currency words, durations and counted nouns written after the number; trailing qualifiers."""
    end = tok.end
    limit = min(se, end + 60)
    mm = _MEASURE_AFTER.match(text, end, limit) if tok.unit is None else None
    if mm is not None:
        tok.unit = mm.group(0).strip()  # 12.5 GWh, 101 kWh, 800 km: a measure no catalog metric takes
        tok.measure = True
        tok.span_end = mm.end()
        return
    if tok.unit is None:
        cm = _CURRENCY_AFTER.match(text, end, limit)
        dm = _DURATION_AFTER.match(text, end, limit) if not cm else None
        jm = _CJK_NOUN_AFTER.match(text, end, limit) if not (cm or dm) else None
        if cm:
            word = " ".join((cm.group(1) or cm.group(2) or "").lower().split())
            code = CURRENCY_WORDS.get(word)
            if code:
                tok.unit = code
                tok.end = tok.span_end = cm.end()
        elif dm:
            word = (dm.group(1) or dm.group(2) or "").lower()
            tok.unit = DURATION_UNITS.get(word, DURATION_UNITS.get(word.rstrip("s")))
            tok.duration = True
            tok.span_end = dm.end()
        elif jm:
            noun = jm.group(1)
            tok.unit = _CJK_UNITS.get(noun, "orders")
            tok.noun, tok.noun_start = noun, jm.start(1)
            tok.span_end = jm.end()
        else:
            nm = _NOUN_AFTER.match(text, end, limit)
            if nm:
                noun = nm.group(1).lower()
                unit = COUNT_NOUNS.get(noun)
                if unit is None and noun.endswith("s") and noun[:-1] in COUNT_NOUNS:
                    unit = COUNT_NOUNS[noun[:-1]]
                if unit is not None:
                    tok.unit = unit
                    tok.noun, tok.noun_start = noun, nm.start(1)
                    tok.span_end = nm.end()
                    sold = re.match(r"\s+(sold|recalled|delivered|moved)(?![A-Za-z])", text[nm.end():nm.end() + 12])
                    if sold:
                        tok.span_end = nm.end() + sold.end()
    am = QUALIFIER_AFTER.match(text, tok.end, min(se, tok.end + 14))
    if am is None and tok.span_end > tok.end:
        am = QUALIFIER_AFTER.match(text, tok.span_end, min(se, tok.span_end + 14))
    if am:
        if tok.qualifier == "exact":
            tok.qualifier = am.lastgroup or "exact"
        if am.start() == tok.end and am.lastgroup == "over":
            tok.end = am.end()
            tok.span_end = max(tok.span_end, tok.end)


_CALENDAR_SPANS = frozenset({"days", "weeks", "months", "years"})


def _over_is_not_a_qualifier(text: str, tok: Token, qs: int, ss: int) -> bool:
    """A bare 'over' right before the number that does not say 'more than'.

    'handed over 30,452 vehicles' (a verb's particle: the delivery of 30,452) and
    'grew 40% over a 12-month period', 'invest over five years' (a span of time).
    """
    words = text[qs:tok.start].lower().split()
    if not words or words[0] != "over" or len(words) > 2:
        return False  # 'just over', 'more than': always qualifiers
    before = text[max(ss, qs - 16):qs]
    if PARTICLE_OVER_BEFORE.search(before):
        return not (tok.unit == "orders" and TAKE_BEFORE.search(before))  # 'took over 200,000 orders'
    if tok.duration and tok.unit in _CALENDAR_SPANS:
        return not (OVER_SPAN_KEEP_BEFORE.search(before)
                    or OVER_SPAN_AFTER.match(text, tok.right, min(len(text), tok.right + 12)))
    return False


def _attach_qualifier(text: str, tok: Token, ss: int) -> None:
    found = qualifier_before(text, tok.start, ss)
    if found is not None:
        if found[0] == "over" and _over_is_not_a_qualifier(text, tok, found[1], ss):
            return
        tok.qualifier, tok.qstart = found
        return
    m = QUALIFIER_BEFORE_CJK.search(text, max(ss, tok.start - 4), tok.start)
    if m:
        tok.qualifier = m.lastgroup or "exact"
        tok.qstart = m.start()


def read_tokens(text: str, ss: int, se: int, matches: list[re.Match[str]], excluded: list[tuple[int, int]],
                title_case: bool) -> list[Token]:
    """The numbers of one sentence that may be claims, with units and qualifiers attached."""
    out: list[Token] = []
    excluded = sorted(excluded)
    ex_starts = [a for a, _ in excluded]
    for m in matches:
        q = read_match(m)
        if q is None:
            continue
        start, end = m.start(), m.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        k = bisect_right(ex_starts, end) - 1
        if k >= 0 and any(excluded[j][1] > start for j in range(max(0, k - 3), k + 1)):
            continue
        tok = Token(start, end, q, q.value, q.precision, unit=q.unit, qstart=start, span_end=end, ordinal=q.ordinal)
        if tok.ordinal:
            follow = re.match(r"\s+(?:[a-z-]+\s+)?(car|vehicle|unit|EV|SU7|YU7)", text[end:end + 30], re.I)
            if q.value >= 1000 and follow:
                tok.metric, tok.metric_phrase, tok.unit = "milestone_cumulative_production", follow.group(1), "vehicles"
                tok.span_end = end + follow.end()
                out.append(tok)
            continue
        if q.unit is None and not q.is_word and q.scale == 1.0 and not q.separators and not q.decimals \
                and 1900 <= q.value <= 2100:
            continue  # a year the period grammar did not take: never a count
        if not q.is_word and _is_noise(text, start, end, ss):
            continue
        if _is_model_number(text, tok, ss, title_case):
            continue
        if q.scale in (1e6, 1e9) and not q.currency and re.search(r"\d[mMbB]$", q.raw.strip()):
            if not _SCALE_M_OK.match(text, end, min(se, end + 24)):
                continue  # '100m' without a currency: metres as often as millions
        _attach_units(text, tok, se)
        if q.is_word and q.value < 1000 and q.precision == 0 and tok.unit is None:
            continue  # 'one of', 'two of them': a number in words needs a unit or a counted noun
        _attach_qualifier(text, tok, ss)
        out.append(tok)
    return out


def multiplier_tokens(text: str, ss: int, se: int) -> list[Token]:
    """'doubled', 'more than tripled', 'halved' as changes of +100%, +200%, -50%."""
    out = []
    for m in MULTIPLIER_RE.finditer(text, ss, se):
        word = m.group("word").lower()
        value = MULTIPLIER_VALUES[word]
        qword = " ".join((m.group("q") or "").lower().split())
        qualifier = {"more than": "over", "over": "over", "nearly": "almost", "almost": "almost"}.get(qword, "about")
        q = Quantity(value=value, precision=0.0, unit="percent", percent="percent", raw=m.group(0))
        tok = Token(m.start("word"), m.end(), q, value, 0.0, unit="percent", qualifier=qualifier, qstart=m.start(),
                    span_end=m.end(), multiplier=True, change=True)
        out.append(tok)
    return out


# -- ranges and bases -------------------------------------------------------------------

_BASE_BEFORE = re.compile(
    r"(?:此前为|此前是|之前为|原为|此前|之前是)\s*$|(?i:(?<![A-Za-z])(?:(?:up|down|rising|falling|rose|fell|increased|decreased|grew|jumped|climbed|dropped|declined|"
    r"surged|slipped|slid|edged\s+(?:up|down)|lifted|raised|cut|lowered)\s+(?:\S+\s+){0,3}?from|compared\s+(?:with|to)|"
    r"versus|vs\.?|against|than|from)\s+(?:the\s+|a\s+|an\s+)?(?:[a-z]+\s+){0,2}?$)"
)
_FROM_BEFORE = re.compile(
    r"(?i)(?<![A-Za-z])from\s+(?:(?:a|an|the|just|only|about|around|roughly|some|nearly|almost|over|more\s+than|under|"
    r"below|less\s+than|respectable|mere|record|healthy|modest|[a-z]+ly)\s+){0,3}$"
)
_TO_BEFORE = re.compile(r"(?i)(?<![A-Za-z])to\s*$")
_TO_GAP = re.compile(r"(?i)^(?:\s+(?:[\w'’-]+\s+){0,5}?|\s*,\s*(?:[\w'’-]+\s+){0,4}?|\s*)(?:to|至|到)\s*$")
_RANGE_GAP = re.compile(r"^\s*(?:-|–|—|~|to|至|到)\s*$")
_BETWEEN_BEFORE = re.compile(r"(?i)(?<![A-Za-z])between\s+(?:[a-z]+\s+){0,2}$")
_CHANGE_VERB_BEFORE = re.compile(
    r"(?i)(?<![A-Za-z])(?:rose|risen|rise|rises|increased|increase|grew|grown|jumped|climbed|fell|fallen|dropped|declined|"
    r"decreased|slid|slipped|cut|raised|lifted|lowered|boosted|revised|up|down)\s+(?:\S+\s+){0,4}$"
)


def _range_ok(a: Token, b: Token) -> bool:
    if isinstance(a.value, list) or isinstance(b.value, list) or a.multiplier or b.multiplier:
        return False
    if a.duration != b.duration or (a.unit and b.unit and a.unit != b.unit):
        return False
    av, bv = float(a.value), float(b.value)
    if a.q.scale == 1.0 and b.q.scale != 1.0 and av * b.q.scale <= bv * 1.0001:
        av *= b.q.scale
    return 0 <= av < bv


def _merge_range(a: Token, b: Token) -> Token:
    av = float(a.value)
    precision_a = a.precision
    if a.q.scale == 1.0 and b.q.scale != 1.0 and av * b.q.scale <= float(b.value) * 1.0001:
        precision_a = (10.0 ** -a.q.decimals if a.q.decimals else 1.0) * b.q.scale
        av = float(round(av * b.q.scale, 6))
    tok = Token(a.start, b.end, b.q, [av, float(b.value)], max(precision_a, b.precision), unit=b.unit or a.unit,
                qualifier=a.qualifier, qstart=a.qstart, span_end=b.right, noun=b.noun or a.noun,
                noun_start=b.noun_start or a.noun_start, duration=b.duration, is_range=True)
    if b.qualifier != "exact" and a.qualifier == "exact":
        tok.qualifier = "about" if b.qualifier == "about" else "exact"
    if (tok.unit in ("percent", "percentage_points")) and a.precision == 0:
        tok.precision = max(1.0, b.precision)
    return tok


def _same_kind(a: Token, b: Token) -> bool:
    pa = a.unit in ("percent", "percentage_points")
    pb = b.unit in ("percent", "percentage_points")
    if pa != pb or a.duration or b.duration or a.multiplier or b.multiplier:
        return False
    if a.unit and b.unit and a.unit != b.unit:
        return False
    return True


def link(text: str, ss: int, strong: list[int], toks: list[Token]) -> list[Token]:
    """Merge ranges and link bases ('up from X', 'from X to Y', 'compared with X')."""
    out: list[Token] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if i + 1 < len(toks):
            n = toks[i + 1]
            gap = text[t.end:n.qstart]
            stripped = gap.strip()
            dash = stripped in ("-", "–", "—", "~") and len(gap) <= 5
            between = stripped == "and" and _BETWEEN_BEFORE.search(text, max(ss, t.qstart - 50), t.qstart) is not None
            to = False
            if stripped in ("to", "至", "到") and len(gap) <= 6:
                left = text[max(ss, t.qstart - 50):t.qstart]
                to = not (_FROM_BEFORE.search(left) or _CHANGE_VERB_BEFORE.search(left))
            if (dash or between or to) and _range_ok(t, n):
                out.append(_merge_range(t, n))
                i += 2
                continue
        out.append(t)
        i += 1
    for j, t in enumerate(out):
        left = text[max(ss, t.qstart - 60):t.qstart]
        low = left.lower()
        if not any(w in low for w in ("from", "than", "versus", "vs", "against", "compared", "此前", "之前", "原为")):
            continue
        if j + 1 < len(out) and _FROM_BEFORE.search(left):
            n = out[j + 1]
            gap = text[t.right:n.qstart] if t.right <= n.qstart else text[t.end:n.qstart]
            if _TO_GAP.match(gap) and _same_kind(t, n) and n.base is None:
                t.base_of, n.base = n, t
                continue
        if j > 0 and _BASE_BEFORE.search(left) and not _TO_BEFORE.search(left):
            # the nearest earlier number of the same kind: 'deliveries were 93,211, down 39% from 152,831'
            for p in reversed(out[max(0, j - 3):j]):
                if _same_kind(t, p):
                    if p.base is None and p.base_of is None and (
                        not count_between(strong, p.end, t.qstart) or text[p.end:t.qstart].count("(") == 1
                    ):
                        t.base_of, p.base = p, t
                    break
    return out
