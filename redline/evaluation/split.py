"""Which outlets are held out for testing.

The split is a pure function of the outlet's name, fixed before any rule was
written against the corpus: an outlet is in ``test`` when the first eight hex
digits of the SHA-256 of its lower-cased name, modulo 10, are below 4 (about
40% of outlets). Every article of an outlet lands on the same side, so no
outlet's house style leaks from the test split into the rules.

>>> split_of("cnevpost.com") in ("dev", "test")
True
>>> split_of("CnEVPost.com") == split_of("cnevpost.com")
True
"""

from __future__ import annotations

import hashlib
from typing import Literal

__all__ = ["Split", "split_of", "OWN_OUTLET"]

Split = Literal["dev", "test"]

OWN_OUTLET = "redline"
"""The outlet of passages written by the project itself (style ``own``): always dev."""


def split_of(outlet: str) -> Split:
    """``dev`` or ``test`` for every article of ``outlet`` (a bare domain such as ``cnevpost.com``)."""
    name = outlet.strip().lower()
    if name == OWN_OUTLET:
        return "dev"
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()
    return "test" if int(digest[:8], 16) % 10 < 4 else "dev"
