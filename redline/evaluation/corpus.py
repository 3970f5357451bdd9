"""The annotated corpus: one JSON file per article, read and checked.

The format is described in ``tests/corpus/real/README.md``. :func:`load_corpus`
reads a folder (or one file) and refuses it whole, naming the file and field,
when an article breaks the format: a quote that is not in the text, a split
that does not match the outlet's, an outlet that is kept for an outside
check, a date that is not a date.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit

from ..errors import InputError
from .split import OWN_OUTLET, split_of

__all__ = [
    "Article",
    "GoldClaim",
    "CorpusError",
    "load_corpus",
    "read_article",
    "read_seed",
    "STYLES",
    "VERDICTS",
    "TRUTHS",
    "HELD_OUT_OUTLETS",
]

STYLES = ("wire", "press_release", "blog", "analyst", "forum", "aggregator", "earnings", "own")
VERDICTS = ("supported", "contradicted", "misleading", "unverifiable")
TRUTHS = ("true", "false", "unknown")
KINDS = ("level", "change_pct", "count", "event", "attribute")
OUT_OF_CATALOG = "other:"

HELD_OUT_OUTLETS = frozenset({
    "aboutevs.com", "allthe.news", "business-news-today.com", "carwikihub.com", "cosmosflash.com",
    "econotimes.com", "eletric-vehicles.com", "evdrive.in", "headlineadda.com", "hi-tech.ua", "arenaev.com",
    "nenpower.com", "viralceleb24h.com", "redcensor.com", "tech-oracle.com", "ainvest.com",
    "automotiveworld.com", "carsbite.com", "digitimes.com", "electrive.com", "mobileworldlive.com",
    "steelorbis.com", "mitrade.com", "marketdash.io", "parameter.io", "driveteslacanada.ca", "evxl.co",
    "autojagat.in", "news-articles.net", "proinvestnews.com", "chinesecars.blog", "usaeverydaylife.com",
    "evmagz.com", "asiafinancial.com", "malaymail.com", "evcarlatest.com", "digibanglatech.news",
    "ncfchina.co.uk",
})
"""Outlets kept outside the project for an independent check: never in the corpus."""


class CorpusError(InputError):
    """An article file that breaks the corpus format."""


@dataclass(frozen=True)
class GoldClaim:
    """One hand-annotated claim: the reading, and two judgements of it."""

    quote: str
    start: int
    end: int
    entity: str | None
    metric: str | None
    kind: str
    period: tuple[str, str] | None
    value: float | tuple[float, float]
    truth: str
    expected_verdict: str | None
    required: bool = True
    planted: bool = False
    qualifier: str = "exact"
    series: str | None = None
    time_shape: str | None = None
    note: str = ""
    unit: str | None = None

    @property
    def in_catalog(self) -> bool:
        """False for a quantity the catalog has no metric for (``other:…``)."""
        return not (self.metric or "").startswith(OUT_OF_CATALOG)

    def gold_record(self) -> dict[str, Any]:
        """The shape :func:`redline.claims.scoring.score` matches against."""
        return {
            "quote": self.quote, "start": self.start, "end": self.end, "entity": self.entity,
            "metric": self.metric, "kind": self.kind,
            "period": None if self.period is None else {"start": self.period[0], "end": self.period[1]},
            "value": list(self.value) if isinstance(self.value, tuple) else self.value,
            "unit": self.unit,
            "required": self.required and self.in_catalog,
        }


@dataclass(frozen=True)
class Article:
    path: str
    url: str
    outlet: str
    published: Date
    style: str
    split: str
    text: str
    claims: tuple[GoldClaim, ...] = field(default=())

    @property
    def planted(self) -> bool:
        return any(c.planted for c in self.claims)


def _host(text: str) -> str:
    """The host of a URL or a bare domain, lower-cased, without 'www.'."""
    host = urlsplit(text if "//" in text else "//" + text).hostname or ""
    return host.lower().removeprefix("www.")


def _err(path: Path, where: str, message: str) -> CorpusError:
    return CorpusError(f"{path}: {where}: {message}")


def _date(path: Path, where: str, value: Any) -> str:
    try:
        return Date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise _err(path, where, f"not a date (YYYY-MM-DD): {value!r}") from None


def _period(path: Path, where: str, value: Any) -> tuple[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping) or "start" not in value or "end" not in value:
        raise _err(path, where, "a period is {\"start\": YYYY-MM-DD, \"end\": YYYY-MM-DD} or null")
    start, end = _date(path, where + ".start", value["start"]), _date(path, where + ".end", value["end"])
    if end < start:
        raise _err(path, where, f"ends ({end}) before it starts ({start})")
    return start, end


def _value(path: Path, where: str, value: Any) -> float | tuple[float, float]:
    if isinstance(value, bool):
        raise _err(path, where, f"not a number: {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        return float(value[0]), float(value[1])
    raise _err(path, where, f"a number or [low, high], not {value!r}")


def _choice(path: Path, where: str, value: Any, allowed: Iterable[str], *, optional: bool = False) -> Any:
    allowed = tuple(allowed)
    if value is None and optional:
        return None
    if value not in allowed:
        raise _err(path, where, f"one of {', '.join(allowed)}, not {value!r}")
    return value


def _claim(path: Path, i: int, raw: Any, text: str) -> GoldClaim:
    where = f"claims[{i}]"
    if not isinstance(raw, Mapping):
        raise _err(path, where, "a claim is a JSON object")
    quote = raw.get("quote")
    if not isinstance(quote, str) or not quote:
        raise _err(path, where + ".quote", "missing or empty")
    occurrence = raw.get("occurrence", 1)
    if not isinstance(occurrence, int) or occurrence < 1:
        raise _err(path, where + ".occurrence", f"a positive integer, not {occurrence!r}")
    pos = -1
    for _ in range(occurrence):
        pos = text.find(quote, pos + 1)
        if pos < 0:
            raise _err(path, where + ".quote", f"not in the text (occurrence {occurrence}): {quote!r}")
    for name in ("entity", "metric"):
        if raw.get(name) is not None and not isinstance(raw.get(name), str):
            raise _err(path, f"{where}.{name}", f"a name (text) or null, not {raw.get(name)!r}")
    planted = raw.get("planted", False) is True
    truth = _choice(path, where + ".truth", raw.get("truth"), TRUTHS)
    if planted and truth != "false":
        raise _err(path, where + ".truth", "a planted figure is false by construction")
    return GoldClaim(
        quote=quote,
        start=pos,
        end=pos + len(quote),
        entity=raw.get("entity"),
        metric=raw.get("metric"),
        kind=_choice(path, where + ".kind", raw.get("kind"), KINDS),
        period=_period(path, where + ".period", raw.get("period")),
        value=_value(path, where + ".value", raw.get("value")),
        truth=truth,
        expected_verdict=_choice(path, where + ".expected_verdict", raw.get("expected_verdict"), VERDICTS, optional=True),
        required=raw.get("required", True) is not False,
        planted=planted,
        qualifier=str(raw.get("qualifier") or "exact"),
        series=raw.get("series"),
        time_shape=raw.get("time_shape"),
        note=str(raw.get("note") or ""),
        unit=raw.get("unit") if isinstance(raw.get("unit"), str) else None,
    )


def read_article(path: Path) -> Article:
    """One article file, checked; raises :class:`CorpusError` naming the file and field."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise _err(path, "file", "not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise _err(path, f"line {exc.lineno}", f"not JSON: {exc.msg}") from None
    return _article(path, raw)


def _article(path: Path, raw: Any) -> Article:
    if not isinstance(raw, Mapping):
        raise _err(path, "file", "an article is a JSON object")
    for key in ("url", "outlet", "published", "style", "split", "text", "claims"):
        if key not in raw:
            raise _err(path, key, "missing")
    text = raw["text"]
    if not isinstance(text, str) or not text.strip():
        raise _err(path, "text", "missing or empty")
    outlet = str(raw["outlet"]).strip().lower()
    for field_name, host in (("outlet", _host(outlet)), ("url", _host(str(raw["url"])))):
        held = next((h for h in HELD_OUT_OUTLETS if host == h or host.endswith("." + h)), None)
        if held is not None:
            raise _err(path, field_name, f"{held} is kept for an outside check and may not be in the corpus")
    style = _choice(path, "style", raw["style"], STYLES)
    if (style == "own") != (outlet == OWN_OUTLET):
        raise _err(path, "style", f"style 'own' is for outlet {OWN_OUTLET!r} only, and that outlet's passages are 'own'")
    split = _choice(path, "split", raw["split"], ("dev", "test"))
    if split != split_of(outlet):
        raise _err(path, "split", f"{outlet} belongs to the {split_of(outlet)} split (redline.evaluation.split), not {split}")
    if not isinstance(raw["claims"], list):
        raise _err(path, "claims", "a list of claims")
    claims = tuple(_claim(path, i, c, text) for i, c in enumerate(raw["claims"]))
    return Article(
        path=str(path), url=str(raw["url"]), outlet=outlet,
        published=Date.fromisoformat(_date(path, "published", raw["published"])),
        style=style, split=split, text=text, claims=claims,
    )


def read_seed(path: str | Path) -> Article:
    """The founding example's gold file (``../shared/eval/seed_claims.json``) as an own, dev article.

    Its text is the ``document`` the gold file names, relative to it. The
    gold file has no ``truth``: an expected ``supported`` is a true figure, an
    expected ``misleading`` or ``contradicted`` a false one, the rest unknown.
    """
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        text = (path.parent / raw["document"]).read_text(encoding="utf-8")
    except (OSError, ValueError, KeyError) as exc:
        raise _err(path, "file", f"not a readable seed gold file: {exc}") from None
    truth = {"supported": "true", "misleading": "false", "contradicted": "false"}
    claims = []
    for c in raw["claims"]:
        c = dict(c)
        c.setdefault("truth", truth.get(c.get("expected_verdict") or "", "unknown"))
        claims.append(c)
    article = {"url": str(path), "outlet": OWN_OUTLET, "published": raw["document_date"], "style": "own",
               "split": "dev", "text": text, "claims": claims}
    return _article(path, article)


def load_corpus(where: str | Path, *, split: str = "all") -> list[Article]:
    """Every article under ``where`` (a folder of ``*.json`` files, or one file), in one split or all.

    The whole corpus is checked, whatever ``split`` asks for: one bad file
    refuses the load, so a broken test file cannot hide behind a dev run.
    """
    root = Path(where)
    if root.is_dir():
        # upper-case names (BASELINE.json) are the corpus's own records, not articles
        paths = sorted(p for p in root.rglob("*.json") if p.is_file() and not p.stem.isupper())
    elif root.is_file():
        paths = [root]
    else:
        raise CorpusError(f"{root}: no such file or folder")
    if not paths:
        raise CorpusError(f"{root}: no article files (*.json)")
    if split not in ("dev", "test", "all"):
        raise CorpusError(f"--split must be dev, test or all, not {split!r}")
    articles = [read_article(p) for p in paths]
    return [a for a in articles if split == "all" or a.split == split]
