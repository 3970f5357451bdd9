"""The JSON Schema of `redline audit --json`: the claim shape plus verdict fields.

Regenerate the committed copy with ``python -m redline.claims.audit_schema``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .model import Claim

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schemas" / "audit.schema.json"

_INTERVAL = {
    "type": ["object", "null"],
    "properties": {
        "low": {"type": ["number", "null"]},
        "high": {"type": ["number", "null"]},
        "text": {"type": "string"},
    },
    "required": ["low", "high", "text"],
}

_FACT = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "entity": {"type": "string"},
        "metric": {"type": "string"},
        "period_start": {"type": "string", "format": "date"},
        "period_end": {"type": "string", "format": "date"},
        "value": {"type": "number"},
        "unit": {"type": "string"},
        "qualifier": {"type": "string"},
        "market": {"type": ["string", "null"]},
        "source_url": {"type": ["string", "null"]},
        "published": {"type": ["string", "null"]},
        "note": {"type": ["string", "null"]},
    },
    "required": ["entity", "metric", "period_start", "period_end", "value", "unit", "source_url"],
}


_FIX = {
    "type": ["object", "null"],
    "description": "For a contradicted or misleading claim, what the store says to write instead; null otherwise.",
    "properties": {
        "action": {"enum": ["replace_figure", "restate_metric", "restate_entity", "restate_period", "restate_market"]},
        "replace": {"type": ["string", "null"], "description": "The article's words to replace, when they can be pointed at."},
        "with": {"type": "string", "description": "What to write instead: a figure, metric, entity, period or market."},
        "instruction": {"type": "string", "description": "One plain sentence, with the sources."},
        "sources": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["action", "replace", "with", "instruction", "sources"],
}


def audit_schema() -> dict[str, Any]:
    claim = Claim.model_json_schema()
    defs = claim.pop("$defs", {})
    verdict_props = {
        "verdict": {"enum": ["supported", "contradicted", "misleading", "unverifiable"]},
        "reasons": {"type": "array", "items": {"type": "string"},
                    "description": "Reason codes, e.g. within_precision, superseded_revision, metric_conflation, arithmetic_error, no_data."},
        "explanation": {"type": "string", "description": "One plain sentence."},
        "evidence": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "description": {"type": "string"},
                    "interval": _INTERVAL,
                    "computation": {"type": "string"},
                    "facts": {"type": "array", "items": _FACT},
                },
                "required": ["description", "interval", "computation", "facts"],
            },
        },
        "fix": _FIX,
    }
    claim_with_verdict = dict(claim)
    claim_with_verdict["properties"] = {**claim["properties"], **verdict_props}
    claim_with_verdict["required"] = list(claim.get("required", [])) + ["verdict", "reasons", "explanation", "evidence", "fix"]
    claim_with_verdict["title"] = "AuditedClaim"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://redline.invalid/schemas/audit.schema.json",
        "title": "redline audit report",
        "type": "object",
        "properties": {
            "document_date": {"type": "string", "format": "date"},
            "document_date_source": {"enum": ["given", "document", "today"]},
            "title": {"type": ["string", "null"]},
            "warnings": {"type": "array", "items": {"type": "string"}},
            "summary": {
                "type": "object",
                "properties": {k: {"type": "integer"} for k in ("claims", "supported", "misleading", "contradicted", "unverifiable")},
                "required": ["claims", "supported", "misleading", "contradicted", "unverifiable"],
            },
            "claims": {"type": "array", "items": claim_with_verdict},
            "arithmetic": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "claim_id": {"type": "string"},
                        "related": {"type": "array", "items": {"type": "string"}},
                        "holds": {"type": "boolean"},
                        "computation": {"type": "string"},
                    },
                    "required": ["claim_id", "related", "holds", "computation"],
                },
            },
        },
        "required": ["document_date", "summary", "claims", "arithmetic", "warnings"],
        "$defs": defs,
    }


if __name__ == "__main__":
    SCHEMA_PATH.write_text(json.dumps(audit_schema(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")
