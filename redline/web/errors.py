"""The web app's one error shape and the HTTP status of each error.

Every error the app answers with, from any route, is a JSON object::

    {"error": "<code>", "message": "<one sentence, saying how to fix it>", ...}

with extra keys for some codes: ``issues`` (a list of ``{"field", "reason",
"message", ...}``, one per problem) for ``bad_input`` and ``import_refused``,
and ``retry_after`` (seconds) for ``store_locked``. It is
:meth:`redline.errors.RedlineError.to_dict`, the shape the CLI prints with
``--json``. HTML pages show the same message in a page.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from ..claims.budget import OverBudget, TooManyClaims
from ..errors import ImportErrors, InputError, NotFound, ReadOnly, RedlineError, StoreLocked

__all__ = [
    "Unauthorized",
    "WritesDisabled",
    "TooLarge",
    "BadRequest",
    "ErrorBody",
    "status_of",
    "ERROR_RESPONSES",
]


class Unauthorized(RedlineError):
    """A write came without the operator's token, or with a wrong one."""

    code = "unauthorized"


class WritesDisabled(ReadOnly):
    """A write came to an app started without a write token: it is read-only."""

    code = "read_only"


class TooLarge(RedlineError):
    """A request body (an article, an upload) is larger than the configured limit."""

    code = "too_large"


class BadRequest(InputError):
    """Request fields that do not validate; one issue per field."""

    code = "bad_input"

    def __init__(self, issues: list[dict[str, Any]]):
        self.issues = issues
        fields = ", ".join(dict.fromkeys(str(i["field"]) for i in issues))
        super().__init__(f"{len(issues)} problem(s) with the request ({fields}); see issues")

    def to_dict(self) -> dict[str, object]:
        return {"error": self.code, "message": str(self), "issues": self.issues}


def status_of(exc: RedlineError) -> int:
    """The HTTP status for a library or web error."""
    if isinstance(exc, (Unauthorized, ReadOnly)):
        return 401
    if isinstance(exc, TooLarge):
        return 413
    if isinstance(exc, StoreLocked):
        return 503
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, (ImportErrors, BadRequest, OverBudget, TooManyClaims)):
        return 422
    return 400


class ErrorIssue(BaseModel):
    field: str = Field(description="The field (request field, or fact column) at fault.")
    reason: str = Field(description="A reason code: missing_value, not_a_number, bad_date, unknown_entity, …")
    message: str = Field(description="What is wrong with it, and how to fix it.")


class ErrorBody(BaseModel):
    """The one JSON shape of every error."""

    error: str = Field(
        description="A code: bad_input, import_refused, not_found, unauthorized, read_only, too_large, "
        "store_locked, store_unreadable, over_budget, too_many_claims, not_allowed, internal.",
        examples=["not_found"],
    )
    message: str = Field(description="One plain sentence, saying how to fix it.",
                         examples=["unknown entity 'Xiaomy'; see `redline entities list`"])
    issues: list[ErrorIssue] | None = Field(
        None, description="For bad_input and import_refused: every problem, one per field."
    )
    retry_after: int | None = Field(None, description="For store_locked: seconds to wait before retrying.")


def _response(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _response("bad_input: a field could not be read (a bad period, an empty text)."),
    404: _response("not_found: an unknown entity, metric or fact, or no figure for that period."),
    413: _response("too_large: the request body is larger than REDLINE_MAX_UPLOAD_BYTES."),
    422: _response("bad_input or import_refused: fields that do not validate, listed in issues. over_budget: "
                   "the audit took longer than REDLINE_AUDIT_SECONDS and was stopped. too_many_claims: the article "
                   "holds more than REDLINE_AUDIT_MAX_CLAIMS claims."),
    503: _response("store_locked: another process held the store's lock for REDLINE_LOCK_TIMEOUT; "
                   "retry after the Retry-After header's seconds. store_unreadable: the store file is damaged."),
}
WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    401: _response("unauthorized (no or wrong token) or read_only (the server has no write token): "
                   "nothing was written."),
}
