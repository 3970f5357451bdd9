"""Who a sentence is about: names from the gazetteer, unknown companies, resolved anaphora.

:func:`find_mentions` returns, in text order, every mention of an entity:

- aliases of known entities (the gazetteer's trie of names);
- a known brand followed by a model name ("Tesla Model Y", "BYD Seagull"),
  kept as written with the brand as its parent;
- capitalised names the store does not know that behave like companies or
  products ("Zeekr delivered…", "sales at Aito", "Orvis closing…",
  "Hims & Hers Health (HIMS)", "the L6, priced from…");
- pronouns and definite descriptions ("it", "they", "the company", "the
  automaker", "the car"), resolved in the same pass to the last salient
  entity of a fitting kind.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from .gazetteer import EntityMention, Gazetteer
from .lexicon import (
    ANAPHORA_RE,
    COMPANY_THING_AFTER,
    NON_ENTITY_WORDS,
    PROPER_RUN_RE,
    SOURCE_BODY,
    UNKNOWN_ENTITY_CUE,
    UNKNOWN_ENTITY_PREFIX,
)

__all__ = ["Mention", "find_mentions"]


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    name: str
    kind: str
    source: str  # alias, model, unknown, pron, company (a description), car (a description of a model)
    parent: str | None = None  # the brand written before an unknown model ('Tesla' of 'Tesla Model Y')


_AFFIX_WORD = re.compile(r"(?i)^[\w.]+-(?:backed|owned|based|listed|made|controlled|linked|affiliated)$")
_COMPANY_VERB_AFTER = re.compile(
    r"(?i)\s+(?:\w+\s+){0,1}?(?:delivered|delivers|reported|reports|posted|posts|said|says|expects|plans|aims|targets|"
    r"announced|raised|raises|cut|lowered|recorded|shipped|produced|built|handed)(?![A-Za-z])"
)
_MODEL_WORD = re.compile(r"(?:[A-Z][A-Za-z]{1,12}|[A-Z]{1,4}\d{0,3}[A-Za-z+]{0,3}|\d{1,3}[A-Z+]{0,3})")


_PREFIX_WORDS = ("sales", "deliveries", "shipments", "revenue", "orders", "registrations", "shares", "stock")


_CUE_WORDS = frozenset(
    "delivered delivers sold sells shipped ships reported reports posted posts recorded records produced produces "
    "closed closing closes opened opening raised raises cut cuts recalled recalling recalls booked moved handed built "
    "aims targets deliveries sales revenue revenues shares stock orders market share saw sees expects expected "
    "registered logged racked brand marque subsidiary led outsold topped which that now still only starts start costs "
    "cost is priced sells sell retails goes go fetches lists at for to inc corp corporation co ltd limited group motors "
    "motor auto automobile automotive holdings technologies technology ag se plc nv sa llc".split()
)


def _cue_after(text: str, end: int) -> bool:
    """A cue after a capitalised run (cheap word test first, the full pattern only when it may match)."""
    tail = text[end:end + 60]
    if not tail or tail[0] not in " ,'’(\t":
        return False
    if tail[0] == "(" or tail.lstrip()[:1] == "(":
        return UNKNOWN_ENTITY_CUE.match(tail) is not None
    words = tail.replace("'s", " ").replace("’s", " ").replace(",", " ").lower().split(None, 4)[:4]
    if not any(w.strip(".;:") in _CUE_WORDS for w in words):
        return False
    return UNKNOWN_ENTITY_CUE.match(tail) is not None


def _prefix_cue(text: str, start: int) -> bool:
    before = text[max(0, start - 30):start].lower()
    if not any(w in before for w in _PREFIX_WORDS):
        return False
    return UNKNOWN_ENTITY_PREFIX.search(before) is not None


def _clean_run(words: list[str]) -> tuple[int, int, int]:
    """(lead, trail, cut) of a capitalised run: drop words that never name a company."""
    cut = len(words)
    for i, w in enumerate(words):
        if w.endswith(("'s", "’s")):
            cut = i + 1
            break
    lead = 0
    while lead < cut:
        w = words[lead].rstrip("'s’").lower().strip(".,'’")
        if w in NON_ENTITY_WORDS or _AFFIX_WORD.match(words[lead]):
            lead += 1
            continue
        break
    trail = cut
    while trail > lead and words[trail - 1].removesuffix("'s").removesuffix("’s").lower().strip(".,'’") in NON_ENTITY_WORDS:
        trail -= 1
    return lead, trail, cut


def _unknown(text: str, known: list[EntityMention], gaz: Gazetteer, title_lines: set[int] | None = None) -> list[Mention]:
    out: list[Mention] = []
    starts = [k.start for k in known]
    n = len(text)
    for m in PROPER_RUN_RE.finditer(text):
        raw = m.group(0)
        # cheap first test: a cue after the run, a possessive or '&' in it, or 'sales at' before it
        if not (_cue_after(text, m.end()) or "'" in raw or "’" in raw or _prefix_cue(text, m.start())):
            continue
        # word offsets inside the run
        spans = [(w.start(), w.end()) for w in re.finditer(r"\S+(?:\s*&\s*\S+)?", raw)]
        words = [raw[a:b] for a, b in spans]
        pos = 0
        while pos < len(words):
            lead, trail, cut = _clean_run(words[pos:])
            lead += pos
            trail += pos
            cut += pos
            if lead < trail:
                s = m.start() + spans[lead][0]
                e = m.start() + spans[trail - 1][1]
                name = text[s:e]
                for suffix in ("'s", "’s"):
                    if name.endswith(suffix):
                        name = name[: -len(suffix)]
                        e -= len(suffix)
                name = name.strip(".,:;'’&- ")
                e = s + len(name)
                if _is_candidate(text, name, s, e, known, starts, gaz):
                    out.append(Mention(s, e, name, "company", "unknown"))
            pos = cut
    return out


_GENERIC_NAMES = frozenset({"group", "company", "firm", "brand", "unit", "segment", "business", "division", "smart",
                            "automaker", "carmaker", "maker", "startup", "total", "overall", "net", "gross", "adjusted",
                            "operating", "quarterly", "monthly", "annual", "full-year", "vehicle", "vehicles"})
_VERB_CUE = re.compile(
    r"(?i)(?:'s|’s)?\s+(?:\w+\s+){0,1}?(?:delivered|delivers|sold|sells|shipped|ships|reported|reports|posted|posts|"
    r"recorded|records|produced|produces|closed|closing|closes|opened|raised|raises|cut|cuts|recalled|recalling|"
    r"booked|moved|handed|built|aims|targets|saw|sees|expects|registered|logged|racked|led|outsold|topped)(?![A-Za-z])"
)
_CURRENCY_LEAD = re.compile(r"(?:RMB|CNY|USD|HKD|EUR|GBP|JPY|US|HK)\$?\d")


def _is_candidate(text: str, name: str, s: int, e: int, known: list[EntityMention], starts: list[int],
                  gaz: Gazetteer) -> bool:
    if len(name) < 2 or name.replace(" ", "").isdigit() or not any(ch.isalpha() for ch in name):
        return False
    if _CURRENCY_LEAD.match(name) or name.isupper() and name in ("RMB", "CNY", "USD", "HKD", "EUR", "GBP", "JPY"):
        return False
    i = bisect_left(starts, s - 80)
    for k in known[i:i + 8]:
        if k.start <= e and s <= k.end:
            return False
    if gaz.resolve(name):
        return False
    if SOURCE_BODY.match(name):
        return False  # 'the Passenger Car Association said': a source, never the subject
    # a headline in Title Case makes every word look like a name
    if _in_title_line(text, s, e):
        return False
    after = _cue_after(text, e)
    single = " " not in name and "&" not in name
    if single and name.lower() in _GENERIC_NAMES:
        return False
    at_start = s == 0 or text[s - 1] == "\n" or text[max(0, s - 2):s] in (". ", "? ", "! ", '" ', "“")
    if after and single and at_start and not _VERB_CUE.match(text, e, min(len(text), e + 60)):
        return False  # 'Smart EV revenue…' opens a sentence: a capitalised word, not a name
    if after:
        return True
    return _prefix_cue(text, s)


def _in_title_line(text: str, s: int, e: int) -> bool:
    """Is [s, e) on a short line (a headline) written in Title Case? Looks at most 200 characters each way."""
    line_start = text.rfind("\n", max(0, s - 200), s) + 1
    if line_start == 0 and s > 200:
        return False
    line_end = text.find("\n", e, e + 200)
    if line_end < 0:
        if len(text) - e > 200:
            return False
        line_end = len(text)
    return _title_case(text[line_start:line_end])


def _title_case(line: str) -> bool:
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", line)
    small = {"a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "by", "with", "as", "vs", "from"}
    content = [w for w in words if w.lower() not in small]
    if len(content) < 5:
        return False
    return sum(1 for w in content if w[0].isupper()) / len(content) >= 0.75 and not line.rstrip().endswith((".", "!", "?"))


def _brand_models(text: str, known: list[EntityMention], gaz: Gazetteer) -> list[Mention]:
    """'Tesla Model Y', 'BYD Seagull': a known brand followed by a model name it does not list."""
    out = []
    for k in known:
        if k.kind not in ("company", "brand"):
            continue
        if _in_title_line(text, k.start, k.end):
            continue  # 'NIO Delivers 34,749 Vehicles': every word is capitalised
        m = re.match(r"(?:'s|’s)?\s+((?:Model\s+[A-Z0-9]{1,3}|" + _MODEL_WORD.pattern + r")(?:\s+(?:Pro|Max|Ultra|Plus|L|EV|DM-i|\d{1,3}))?)(?![\w-]|[.,]\d)",
                     text[k.end:k.end + 40])
        if not m:
            continue
        word = m.group(1)
        if re.match(r"(?:Q[1-4]|H[12]|FY\d*|\d{4})\b", word):
            continue  # 'Tesla Q3 2025 deliveries'
        if word.split()[0].lower() in NON_ENTITY_WORDS or gaz.resolve(word) or gaz.resolve(f"{k.name} {word}"):
            continue
        if word.isupper() and len(word) > 4:
            continue
        # a model name: an alphanumeric code, or a capitalised word then a noun or verb
        if not (re.search(r"\d", word) or word.startswith("Model") or
                re.match(r"\s*(?:'s|’s|sedan|suv|hatchback|coupe|crossover|pickup|sold|outsold|deliveries|sales|"
                         r"starts|costs|is|was|priced|led|registrations|units|:)", text[k.end + m.end():k.end + m.end() + 14], re.I)):
            continue
        start = k.start
        end = k.end + m.end()
        if text[k.end:k.end + 2] in ("'s", "’s"):
            name = f"{k.name} {word}"
        else:
            name = text[start:end]
        out.append(Mention(start, end, name, "model", "model", k.name))
    return out


def find_mentions(text: str, gaz: Gazetteer) -> list[Mention]:
    """Known names, unknown companies and resolved anaphora, in text order."""
    known = gaz.find_entities(text)
    items: list[Mention] = [Mention(k.start, k.end, k.name, k.kind, "alias") for k in known]
    items += _brand_models(text, known, gaz)
    items += _unknown(text, known, gaz)
    named = sorted((it.start, it.end) for it in items)
    named_starts = [a for a, _ in named]
    for m in ANAPHORA_RE.finditer(text):
        k = bisect_left(named_starts, m.end())
        if k and named[k - 1][1] > m.start():
            continue  # 'the Model Y' is a name, not 'the model'
        items.append(Mention(m.start(), m.end(), "", "", m.lastgroup or "pron"))
    order = {"model": 0, "alias": 1, "unknown": 2}
    items.sort(key=lambda x: (x.start, order.get(x.source, 3), -x.end))
    out: list[Mention] = []
    last_any: Mention | None = None
    last_company: Mention | None = None
    last_model: Mention | None = None
    last_end = -1
    for it in items:
        if it.start < last_end:
            continue
        if it.source in ("alias", "unknown", "model"):
            out.append(it)
            last_end = it.end
            last_any = it
            if it.kind in ("model", "product"):
                last_model = it
            elif it.kind != "market":
                last_company = it
            continue
        target: Mention | None = None
        if it.source == "pron":
            word = text[it.start:it.end].lower()
            target = last_company if word.startswith(("they", "their", "we", "our")) else last_any
            if target is not None and target.kind == "market" and last_company is not None:
                target = last_company
            if target is not None and target.kind in ("model", "product") and _said_of_a_company(text, it.end):
                target = _brand_of(target, gaz, last_company)  # 'it delivered', 'its 2025 delivery target'
        elif it.source == "company":
            # 'the company', 'the automaker', 'the brand': never a model; after one, the model's brand
            target = last_company
            if last_any is not None and last_any.kind in ("model", "product") and (
                last_company is None or last_company.start < last_any.start
            ):
                target = _brand_of(last_any, gaz, last_company)
        else:  # "the car", "the sedan": the model just named
            target = last_model
        if target is not None:
            resolved = Mention(it.start, it.end, target.name, target.kind, it.source, target.parent)
            out.append(resolved)
            last_end = it.end
            # what a description or pronoun picked out is now the salient entity ('The company has
            # raised its target': 'its' is the company's, not the model named before 'The company')
            last_any = resolved
            if resolved.kind in ("model", "product"):
                last_model = resolved
            elif resolved.kind != "market":
                last_company = resolved
    return out


def _said_of_a_company(text: str, end: int) -> bool:
    """Is the pronoun ending at ``end`` the subject of a company's verb or the owner of a company's thing?"""
    window = text[end:end + 60]
    return bool(_COMPANY_VERB_AFTER.match(window) or COMPANY_THING_AFTER.match(window))


def _brand_of(model: Mention, gaz: Gazetteer, fallback: Mention | None) -> Mention | None:
    """The brand or company of a model or product: up the store's parent chain, else the brand written before it."""
    brand = gaz.brand_of(model.name)
    if brand != model.name:
        info = gaz.entity(brand)
        return Mention(model.start, model.end, brand, info.kind if info else "brand", "alias")
    if model.parent is not None:
        info = gaz.entity(model.parent)
        return Mention(model.start, model.end, model.parent, info.kind if info else "company", "alias")
    return fallback
