"""The store's schema, as named migrations applied in order and recorded."""

from __future__ import annotations

import duckdb

MIGRATIONS: tuple[tuple[str, str], ...] = (
    (
        "0001_registries",
        """
        CREATE TABLE metrics (
            name VARCHAR PRIMARY KEY,
            unit VARCHAR NOT NULL,
            aggregation VARCHAR NOT NULL,
            aliases VARCHAR[] NOT NULL,
            description VARCHAR,
            event_kind VARCHAR,
            target_of VARCHAR
        );
        CREATE TABLE entities (
            name VARCHAR PRIMARY KEY,
            kind VARCHAR NOT NULL,
            parent VARCHAR,
            aliases VARCHAR[] NOT NULL,
            note VARCHAR
        );
        """,
    ),
    (
        "0002_facts",
        """
        CREATE SEQUENCE fact_ids START 1;
        CREATE TABLE facts (
            id BIGINT NOT NULL,
            entity VARCHAR NOT NULL,
            metric VARCHAR NOT NULL,
            period_start DATE NOT NULL,
            period_end DATE NOT NULL,
            value DOUBLE NOT NULL,
            unit VARCHAR NOT NULL,
            qualifier VARCHAR NOT NULL,
            market VARCHAR,
            source_url VARCHAR,
            published VARCHAR,
            known_from DATE NOT NULL,
            note VARCHAR,
            recorded_at TIMESTAMP NOT NULL,
            import_name VARCHAR,
            fingerprint VARCHAR NOT NULL
        );
        CREATE INDEX facts_entity_metric ON facts (entity, metric);
        """,
    ),
    (
        "0003_events",
        """
        CREATE SEQUENCE event_ids START 1;
        CREATE TABLE events (
            id BIGINT NOT NULL,
            entity VARCHAR NOT NULL,
            date DATE NOT NULL,
            kind VARCHAR NOT NULL,
            attributes JSON,
            source_url VARCHAR,
            published VARCHAR,
            known_from DATE NOT NULL,
            note VARCHAR,
            recorded_at TIMESTAMP NOT NULL,
            fingerprint VARCHAR NOT NULL
        );
        """,
    ),
)


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations this database has not seen; return their names."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
    )
    done = {row[0] for row in con.execute("SELECT name FROM migrations").fetchall()}
    applied = []
    for name, sql in MIGRATIONS:
        if name in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute("INSERT INTO migrations VALUES (?, now())", [name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied
