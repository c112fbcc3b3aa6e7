"""Each database's own full-text machinery over search_memberdocument (docs/search.md).

SQLite: an FTS5 external-content table, kept equal to the document table by triggers on
that table (search writes the documents; the triggers only mirror them into the index).
PostgreSQL: generated tsvector columns with GIN indexes, and pg_trgm's GIN index on names
(pg_trgm is a trusted extension: the database owner may create it).
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE search_memberdocument_fts USING fts5(
        name, card, rest, content='search_memberdocument', content_rowid='member_id',
        tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')""",
    """CREATE TRIGGER search_memberdocument_ai AFTER INSERT ON search_memberdocument BEGIN
        INSERT INTO search_memberdocument_fts(rowid, name, card, rest)
        VALUES (new.member_id, new.name, new.card, new.rest);
    END""",
    """CREATE TRIGGER search_memberdocument_ad AFTER DELETE ON search_memberdocument BEGIN
        INSERT INTO search_memberdocument_fts(search_memberdocument_fts, rowid, name, card, rest)
        VALUES ('delete', old.member_id, old.name, old.card, old.rest);
    END""",
    """CREATE TRIGGER search_memberdocument_au AFTER UPDATE ON search_memberdocument BEGIN
        INSERT INTO search_memberdocument_fts(search_memberdocument_fts, rowid, name, card, rest)
        VALUES ('delete', old.member_id, old.name, old.card, old.rest);
        INSERT INTO search_memberdocument_fts(rowid, name, card, rest)
        VALUES (new.member_id, new.name, new.card, new.rest);
    END""",
]
SQLITE_BACK = [
    "DROP TRIGGER IF EXISTS search_memberdocument_au",
    "DROP TRIGGER IF EXISTS search_memberdocument_ad",
    "DROP TRIGGER IF EXISTS search_memberdocument_ai",
    "DROP TABLE IF EXISTS search_memberdocument_fts",
]

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """ALTER TABLE search_memberdocument
        ADD COLUMN name_vector tsvector
            GENERATED ALWAYS AS (to_tsvector('simple', name)) STORED,
        ADD COLUMN card_vector tsvector
            GENERATED ALWAYS AS (setweight(to_tsvector('simple', name), 'A')
                || setweight(to_tsvector('simple', card), 'B')) STORED,
        ADD COLUMN all_vector tsvector
            GENERATED ALWAYS AS (setweight(to_tsvector('simple', name), 'A')
                || setweight(to_tsvector('simple', card), 'B')
                || setweight(to_tsvector('simple', rest), 'C')) STORED""",
    "CREATE INDEX search_doc_name_vector ON search_memberdocument USING gin (name_vector)",
    "CREATE INDEX search_doc_card_vector ON search_memberdocument USING gin (card_vector)",
    "CREATE INDEX search_doc_all_vector ON search_memberdocument USING gin (all_vector)",
    "CREATE INDEX search_doc_name_trgm ON search_memberdocument USING gin (name gin_trgm_ops)",
]
POSTGRES_BACK = [
    "DROP INDEX IF EXISTS search_doc_name_trgm",
    """ALTER TABLE search_memberdocument DROP COLUMN IF EXISTS name_vector,
        DROP COLUMN IF EXISTS card_vector, DROP COLUMN IF EXISTS all_vector""",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_BACK, "postgresql": POSTGRES_BACK}),
        )
    ]
