"""The web face of redline: a FastAPI app over the library (``redline serve``).

    from redline.web import create_app
    app = create_app("facts.duckdb")
"""

from .app import create_app

__all__ = ["create_app"]
