"""Where figures come from, and how far to trust each place: source tiers.

The tiers are declared once, as data, in ``redline/data/sources.csv``
(domain, tier, kind, note):

1. primary: the company's own release or filing, CPCA, CAAM, SAMR, MIIT,
   exchange filings;
2. reputable secondary: wires, established business and auto press;
3. aggregators, rewrite and content sites, blogs, and any domain not declared.

A fact's tier is computed from its ``source_url`` (never typed by hand): the
address's host is matched against the declared domains, longest first, on a
label boundary, so ``www.reuters.com`` and ``graphics.reuters.com`` fold to
``reuters.com``.

>>> tier_of("https://www.reuters.com/business/autos/x")
2
>>> tier_of("https://example.org/a")
3
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .errors import InputError

if TYPE_CHECKING:
    from .store import Store

__all__ = [
    "TIERS", "UNKNOWN_TIER", "Source", "TierSummary", "DomainCount",
    "sources", "source_for", "tier_of", "domain_of", "summarize",
]

TIERS = {1: "primary", 2: "reputable secondary", 3: "aggregator or unknown"}
UNKNOWN_TIER = 3
"""The tier of an address whose domain is not declared, and of a fact with no address."""


@dataclass(frozen=True, slots=True)
class Source:
    """A declared domain with its tier."""

    domain: str
    tier: int
    kind: str
    note: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"domain": self.domain, "tier": self.tier, "kind": self.kind, "note": self.note}


def _path() -> Path:
    return Path(str(resources.files("redline") / "data" / "sources.csv"))


def load_sources(path: str | Path) -> dict[str, Source]:
    """Read a sources table; a bad row raises :class:`InputError` naming its file, line and field."""
    path = Path(path)
    out: dict[str, Source] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            line = reader.line_num
            domain = (row.get("domain") or "").strip().lower()
            if not domain or "/" in domain or " " in domain:
                raise InputError(f"{path}:{line}: domain: not a bare domain name: {row.get('domain')!r}")
            tier_text = (row.get("tier") or "").strip()
            if tier_text not in ("1", "2", "3"):
                raise InputError(f"{path}:{line}: tier: must be 1, 2 or 3, not {tier_text!r}")
            if domain in out:
                raise InputError(f"{path}:{line}: domain: {domain!r} is declared twice")
            kind = (row.get("kind") or "").strip()
            if not kind:
                raise InputError(f"{path}:{line}: kind: is empty")
            out[domain] = Source(domain, int(tier_text), kind, (row.get("note") or "").strip())
    return out


@lru_cache(maxsize=1)
def sources() -> dict[str, Source]:
    """The declared table, by domain."""
    return load_sources(_path())


def _host(url: str) -> str:
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host.lower().rstrip(".")


@lru_cache(maxsize=4096)
def source_for(url: str | None) -> Source | None:
    """The declared domain an address falls under (longest match on a label boundary), or None."""
    if not url:
        return None
    host = _host(url)
    table = sources()
    labels = host.split(".")
    for i in range(len(labels) - 1):
        found = table.get(".".join(labels[i:]))
        if found is not None:
            return found
    return None


def tier_of(url: str | None) -> int:
    """1, 2 or 3 for a source address; undeclared domains (and no address) are 3."""
    found = source_for(url)
    return found.tier if found is not None else UNKNOWN_TIER


def domain_of(url: str | None) -> str:
    """The declared domain of an address, else its host without a leading ``www.``."""
    found = source_for(url)
    if found is not None:
        return found.domain
    host = _host(url or "")
    return host[4:] if host.startswith("www.") else host


@dataclass(frozen=True)
class DomainCount:
    """How many current facts rest on one domain."""

    domain: str
    tier: int
    kind: str
    facts: int

    def to_dict(self) -> dict[str, object]:
        return {"domain": self.domain, "tier": self.tier, "kind": self.kind, "facts": self.facts}


@dataclass(frozen=True)
class TierSummary:
    """Facts by the tier of their source, over the current version of each key.

    ``by_best_tier`` counts each fact under the better of its source's and its
    confirming source's tier; ``tier3_only`` is how many rest on tier 3 alone.
    """

    facts: int
    by_tier: dict[int, int]
    by_best_tier: dict[int, int]
    confirmed: int
    domains: tuple[DomainCount, ...]

    @property
    def tier3_only(self) -> int:
        return self.by_best_tier.get(3, 0)

    @property
    def share_tier12(self) -> float:
        return (self.by_tier.get(1, 0) + self.by_tier.get(2, 0)) / self.facts if self.facts else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "facts": self.facts,
            "by_tier": {str(t): self.by_tier.get(t, 0) for t in TIERS},
            "by_best_tier": {str(t): self.by_best_tier.get(t, 0) for t in TIERS},
            "share_tier_1_2": round(self.share_tier12, 4),
            "confirmed": self.confirmed,
            "tier3_only": self.tier3_only,
            "domains": [d.to_dict() for d in self.domains],
        }


def summarize(store: Store, /, *, as_of: date | None = None) -> TierSummary:
    """Count the store's current facts by source tier and domain.

    >>> from redline import Store
    >>> summarize(Store(":memory:")).facts > 0
    True
    """
    by_tier = {t: 0 for t in TIERS}
    by_best = {t: 0 for t in TIERS}
    domains: dict[str, list[object]] = {}
    confirmed = total = 0
    for url, confirmed_by, n in store.source_counts(as_of=as_of):
        tier = tier_of(url)
        best = min(tier, tier_of(confirmed_by)) if confirmed_by else tier
        total += n
        by_tier[tier] += n
        by_best[best] += n
        confirmed += n if confirmed_by else 0
        found = source_for(url)
        name = domain_of(url) or "(no source)"
        entry = domains.setdefault(name, [tier, found.kind if found else "undeclared", 0])
        entry[2] = int(entry[2]) + n  # type: ignore[call-overload]
    ordered = sorted(domains.items(), key=lambda kv: (kv[1][0], -int(kv[1][2]), kv[0]))  # type: ignore[call-overload]
    return TierSummary(
        total, by_tier, by_best, confirmed,
        tuple(DomainCount(d, int(v[0]), str(v[1]), int(v[2])) for d, v in ordered),  # type: ignore[call-overload]
    )
