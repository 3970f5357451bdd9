"""redline: check and write the numbers behind company news.

The public surface::

    from redline import Store, Period, value, growth, pace, audit
    store = Store(":memory:")                       # bundled fact pack loaded
    value(store, "Xiaomi", "deliveries", Period.parse("2025-Q3")).value   # 108796.0
    audit("Xiaomi delivered 108,796 cars in Q3 2025.", date="2025-11-25", store=store).summary
"""

from .analytics import conflicts, fleet, growth, incident_rate, pace, share, value
from .catalog import Entity, Metric
from .claims.audit import AuditReport, audit
from .errors import ImportErrors, InputError, NotFound, RedlineError, StoreLocked
from .intervals import Interval
from .periods import Period
from .store import Fact, Store, open_store

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
