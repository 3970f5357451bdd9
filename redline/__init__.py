"""redline: check and write the numbers behind company news.

The public surface::

    from redline import Store, Period, value, growth, pace, audit
    store = Store(":memory:")                       # bundled fact pack loaded
    value(store, "Xiaomi", "deliveries", Period.parse("2025-Q3")).value   # 108796.0
    audit("Xiaomi delivered 108,796 cars in Q3 2025.", date="2025-11-25", store=store).summary
"""

from typing import TYPE_CHECKING, Any

from .errors import ImportErrors, InputError, NotFound, RedlineError, StoreLocked

# Names load on first use (PEP 562), so `import redline` (and every command that needs only the
# store) does not pay for the claims reader or DuckDB until it uses them.
_LAZY = {
    "value": "analytics", "growth": "analytics", "pace": "analytics", "share": "analytics", "fleet": "analytics",
    "incident_rate": "analytics", "conflicts": "analytics",
    "Entity": "catalog", "Metric": "catalog",
    "AuditReport": "claims.audit", "audit": "claims.audit",
    "Interval": "intervals", "Period": "periods",
    "Fact": "store", "Store": "store", "open_store": "store",
}

if TYPE_CHECKING:
    from .analytics import conflicts, fleet, growth, incident_rate, pace, share, value
    from .catalog import Entity, Metric
    from .claims.audit import AuditReport, audit
    from .intervals import Interval
    from .periods import Period
    from .store import Fact, Store, open_store


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'redline' has no attribute {name!r}")
    import importlib

    found = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = found
    return found


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "audit",
    "AuditReport",
    "Store",
    "open_store",
    "Fact",
    "Period",
    "Interval",
    "Entity",
    "Metric",
    "value",
    "growth",
    "pace",
    "share",
    "fleet",
    "incident_rate",
    "conflicts",
    "RedlineError",
    "InputError",
    "ImportErrors",
    "NotFound",
    "StoreLocked",
]

__version__ = "0.1.0"
