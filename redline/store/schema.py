"""The store's schema, as named migrations applied in order and recorded."""

from __future__ import annotations

import hashlib

import duckdb

ENTITY_KEY_SQL = "CAST('0x' || substr(md5({column}), 1, 15) AS BIGINT)"
"""SQL for :func:`entity_key` of a VARCHAR column (format with ``column=``)."""


def entity_key(name: str) -> int:
    """A stable 60-bit integer for an entity name: the first 15 hex digits of its MD5.

    Facts are stored sorted by this key, so DuckDB's per-row-group min/max
    statistics (which keep only a short prefix of strings, useless for names
    such as "Xiaomi SU7" and "Xiaomi SU7 Ultra") skip every row group but the
    one holding the entity. It is computed identically in SQL (``ENTITY_KEY_SQL``,
    used on import) and in Python (used to filter reads); reads still compare
    the name itself, so a collision only costs a little speed.
    """
    return int(hashlib.md5(name.encode("utf-8")).hexdigest()[:15], 16)


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
    (
        # Reads by entity scanned every row: string statistics keep an 8-byte
        # prefix, so names sharing one ("Xiaomi SU7…", "Tesla Gig…") defeat
        # row-group skipping, and DuckDB does not use the (entity, metric) ART
        # index for these filters (it only slowed imports). Store an integer key
        # per entity and keep facts clustered by it.
        "0004_fact_entity_key",
        f"""
        DROP INDEX IF EXISTS facts_entity_metric;
        CREATE TABLE facts_v4 (
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
            fingerprint VARCHAR NOT NULL,
            entity_key BIGINT NOT NULL
        );
        INSERT INTO facts_v4
        SELECT *, {ENTITY_KEY_SQL.format(column="entity")} AS entity_key FROM facts
        ORDER BY entity_key, metric, period_start, period_end, id;
        DROP TABLE facts;
        ALTER TABLE facts_v4 RENAME TO facts;
        """,
    ),
    (
        # Volume facts name their series (retail, wholesale, exports, deliveries, ...), which is
        # part of a fact's key, and may name a second source confirming the figure.
        "0005_fact_series_confirmed_by",
        """
        ALTER TABLE facts ADD COLUMN series VARCHAR;
        ALTER TABLE facts ADD COLUMN confirmed_by VARCHAR;
        """,
    ),
    (
        # A fact found wrong is withdrawn, not deleted: its row stays (history), and a retraction
        # (the fact's id, a reason, when) hides it from every read. Facts with a date no read can
        # handle (year 0 or before, accepted before imports checked years) are retracted here.
        # (Idempotent: a development store may hold the table under an earlier migration name.)
        "0006_fact_retractions",
        """
        CREATE TABLE IF NOT EXISTS retractions (
            fact_id BIGINT PRIMARY KEY,
            reason VARCHAR NOT NULL,
            recorded_at TIMESTAMP NOT NULL
        );
        INSERT INTO retractions
        SELECT id, 'its period or publication date is outside years 1-9999, which no read can handle '
                   || '(retracted when the store was upgraded)', now()::TIMESTAMP
        FROM facts
        WHERE (year(period_start) < 1 OR year(period_end) < 1 OR year(known_from) < 1
           OR year(period_start) > 9999 OR year(period_end) > 9999 OR year(known_from) > 9999)
          AND id NOT IN (SELECT fact_id FROM retractions);
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
