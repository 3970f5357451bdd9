"""The JSON Schemas of extraction output, generated from the pydantic models.

``claim.schema.json`` describes one claim (the shape of the gold annotations
in ../shared/eval/seed_claims.json, plus the fields the auditor reads);
``extraction.schema.json`` describes what ``redline extract --json`` prints.
Regenerate the committed copies with::

    python -m redline.claims.schema

A test checks that the committed files equal the generated ones.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from .extract import Extraction
from .model import Claim

__all__ = ["SCHEMA_DIR", "claim_schema", "extraction_schema", "render", "write_schemas"]

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schemas"
_BASE = "https://redline.invalid/schemas/"


def claim_schema() -> dict[str, Any]:
    """The JSON Schema of one :class:`~redline.claims.model.Claim`."""
    schema = Claim.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": _BASE + "claim.schema.json", **schema}


def extraction_schema() -> dict[str, Any]:
    """The JSON Schema of the output of ``redline extract --json``."""
    schema = Extraction.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": _BASE + "extraction.schema.json", **schema}


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_schemas(directory: Path = SCHEMA_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for name, schema in (("claim.schema.json", claim_schema()), ("extraction.schema.json", extraction_schema())):
        path = directory / name
        path.write_text(render(schema), encoding="utf-8")
        out.append(path)
    return out


if __name__ == "__main__":  # pragma: no cover
    for p in write_schemas(Path(sys.argv[1]) if len(sys.argv) > 1 else SCHEMA_DIR):
        print(p)
