"""Bounded work (redline.claims.budget): a child killed at its deadline, exceptions carried back."""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest

from redline.claims.audit import audit
from redline.claims.budget import Budget, OverBudget, TooManyClaims, run_within
from redline.errors import InputError
from redline.store import Store

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="the time budget needs fork (elsewhere only the claim budget applies)")


def _spin() -> None:
    while True:
        pass


def test_work_past_its_budget_is_stopped_and_the_core_is_free() -> None:
    start = time.monotonic()
    with pytest.raises(OverBudget, match="budget of 0.5 seconds"):
        run_within(Budget(seconds=0.5, max_claims=10), _spin)
    assert time.monotonic() - start < 1.5
    assert multiprocessing.active_children() == []  # killed and reaped, not left spinning


def test_the_result_and_the_exception_come_back_from_the_child() -> None:
    assert run_within(Budget(5, 10), lambda: os.getpid()) != os.getpid()

    def bad() -> None:
        raise InputError("no such thing")

    with pytest.raises(InputError, match="no such thing"):
        run_within(Budget(5, 10), bad)


def test_the_claim_budget_is_checked_before_verification(pack: Store) -> None:
    text = "Xiaomi delivered 108,796 cars in Q3 2025. NIO delivered 87,071 in Q3 2025. BYD sold 1,100,000."
    with pytest.raises(TooManyClaims, match="at most 2 .*REDLINE_AUDIT_MAX_CLAIMS"):
        audit(text, date="2025-11-25", store=pack, max_claims=2)
    assert len(audit(text, date="2025-11-25", store=pack, max_claims=10).items) == 3
