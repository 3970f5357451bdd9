"""Bounded work: an audit (or an extraction) that must finish within a time and a claim budget.

A web request must not hold a core for minutes. :func:`run_within` runs the work (on more
than ``inline_bytes`` of text; smaller work is cheap, and runs in place) in a forked child
process and waits at most ``budget.seconds``; past that, the child is
killed (the core is free again at once, whatever the work was doing) and
:class:`OverBudget` names the limit. The claim budget is checked right after
extraction, before the costly verification: :class:`TooManyClaims` names it.

The child is forked, so it starts with the parent's snapshot of the store already
in memory (nothing is copied or re-read). Where ``fork`` is not available the work
runs in the calling thread, bounded by the claim budget only.

>>> run_within(Budget(seconds=5, max_claims=10), lambda: 6 * 7)
42
"""

from __future__ import annotations

import multiprocessing
import os
import warnings
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from .. import settings
from ..errors import InputError

__all__ = ["Budget", "OverBudget", "TooManyClaims", "run_within", "check_claims"]

T = TypeVar("T")


class OverBudget(InputError):
    """The work did not finish within its time budget and was stopped."""

    code = "over_budget"


class TooManyClaims(InputError):
    """The document holds more claims than one request may check."""

    code = "too_many_claims"


INLINE_BYTES = 10_000
"""Articles up to this size are audited in the calling thread: the worst of them (claim-dense, about
300 claims) took 0.33 s, and a forked worker adds 20-30 ms to every audit (bench/bench_budget.py)."""


@dataclass(frozen=True)
class Budget:
    """At most ``seconds`` of work and ``max_claims`` claims per document; work on at most
    ``inline_bytes`` of text runs in the calling thread, larger work in a killable worker."""

    seconds: float
    max_claims: int
    inline_bytes: int = INLINE_BYTES

    def worker_for(self, text: str | bytes) -> bool:
        """Whether work on ``text`` runs in a forked worker (True) or in the calling thread."""
        return len(text) > self.inline_bytes

    @classmethod
    def from_settings(cls) -> "Budget":
        """The web app's budget: ``REDLINE_AUDIT_SECONDS`` and ``REDLINE_AUDIT_MAX_CLAIMS``."""
        return cls(settings.get("audit_seconds"), settings.get("audit_max_claims"))


def check_claims(n: int, max_claims: int | None) -> None:
    """Raise :class:`TooManyClaims` when ``n`` claims exceed ``max_claims`` (None: no limit)."""
    if max_claims is not None and n > max_claims:
        raise TooManyClaims(
            f"the article holds {n:,} claims; one request checks at most {max_claims:,} "
            "(REDLINE_AUDIT_MAX_CLAIMS): split it, or audit it with `redline audit`, which has no such limit"
        )


def _child(conn: Any, fn: Callable[[], Any]) -> None:
    try:
        result: tuple[str, Any] = ("ok", fn())
    except BaseException as exc:  # sent back whole: the parent raises it as if it had run here
        result = ("error", exc if isinstance(exc, Exception) else InputError(str(exc) or type(exc).__name__))
    try:
        conn.send(result)
    finally:
        conn.close()
        os._exit(0)


def run_within(budget: Budget, fn: Callable[[], T], *, inline: bool = False) -> T:
    """``fn()`` run in a forked child, killed after ``budget.seconds``; its result or its exception.

    With ``inline`` (small work, see :meth:`Budget.worker_for`) it runs in the calling thread.
    """
    if inline or "fork" not in multiprocessing.get_all_start_methods():
        return fn()
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(send, fn), daemon=True)
    with warnings.catch_warnings():
        # Python 3.12+ warns that forking a threaded process may deadlock the child: this child only
        # computes on memory it inherited (no DuckDB, no locks taken by other threads) and is killed
        # at its deadline whatever happens.
        warnings.simplefilter("ignore", DeprecationWarning)
        process.start()
    send.close()
    try:
        if not receive.poll(budget.seconds):
            raise OverBudget(
                f"the work took longer than its budget of {budget.seconds:g} seconds (REDLINE_AUDIT_SECONDS) "
                "and was stopped: send a shorter article, or audit it with `redline audit`"
            )
        try:
            status, value = receive.recv()
        except EOFError:
            raise InputError("the audit stopped without an answer (out of memory?)") from None
    finally:
        receive.close()
        if process.is_alive():
            process.kill()
        process.join()
    if status == "error":
        raise value
    return value
