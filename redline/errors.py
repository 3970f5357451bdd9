"""The exceptions redline raises. The CLI and web app turn them into one shape each."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = [
    "RedlineError",
    "InputError",
    "ImportIssue",
    "ImportErrors",
    "NotFound",
    "StoreLocked",
    "StoreUnreadable",
    "ReadOnly",
    "IssueReason",
]


class RedlineError(Exception):
    """Base class of every error redline reports to a user."""

    code = "error"

    def to_dict(self) -> dict[str, object]:
        return {"error": self.code, "message": str(self)}


class InputError(RedlineError):
    """Input that cannot be read: a bad period, an empty file, binary data."""

    code = "bad_input"


class NotFound(RedlineError):
    """An entity, metric or fact the store does not hold."""

    code = "not_found"


class StoreUnreadable(InputError):
    """The store file cannot be opened: empty, truncated, or not a DuckDB database."""

    code = "store_unreadable"

    def public(self) -> "StoreUnreadable":
        """The same error without the file's path, for people who should not learn the server's paths."""
        return StoreUnreadable("the fact store cannot be opened (its file is damaged or not a DuckDB database); "
                               "the operator's log has the details")


class StoreLocked(RedlineError):
    """Another process holds the database file's write lock and did not let go in time."""

    code = "store_locked"


class ReadOnly(RedlineError):
    """A write was asked of a store or app that is read-only."""

    code = "read_only"


class IssueReason(str, Enum):
    """Why a row of an import was refused."""

    missing_column = "missing_column"
    missing_value = "missing_value"
    not_a_number = "not_a_number"
    bad_date = "bad_date"
    end_before_start = "end_before_start"
    unknown_metric = "unknown_metric"
    unknown_entity = "unknown_entity"
    unknown_qualifier = "unknown_qualifier"
    bad_url = "bad_url"
    out_of_range = "out_of_range"
    wrong_unit = "wrong_unit"
    bad_format = "bad_format"
    unknown_series = "unknown_series"
    bad_year = "bad_year"
    bad_name = "bad_name"
    duplicate_key = "duplicate_key"


@dataclass(frozen=True)
class ImportIssue:
    """One problem in one row of an import file."""

    file: str
    line: int
    field: str
    reason: IssueReason
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "reason": self.reason.value,
            "message": self.message,
        }


class ImportErrors(InputError):
    """Every problem found in an import; nothing was written."""

    code = "import_refused"

    def __init__(self, issues: list[ImportIssue]):
        self.issues = issues
        shown = "\n".join(f"  {issue}" for issue in issues[:20])
        more = f"\n  … and {len(issues) - 20} more" if len(issues) > 20 else ""
        super().__init__(
            f"{len(issues)} problem(s); nothing was imported:\n{shown}{more}"
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "error": self.code,
            "message": f"{len(self.issues)} problem(s); nothing was imported",
            "issues": [issue.to_dict() for issue in self.issues],
        }
