"""Each database's own full-text machinery over search_postdocument (docs/search.md, "Posts").

SQLite: an FTS5 external-content table kept equal to the document table by triggers (search
writes the documents; the triggers only mirror them into the index), prefix indexes for 2
and 3 characters. PostgreSQL: a generated tsvector column with a GIN index.
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE search_postdocument_fts USING fts5(
        text, content='search_postdocument', content_rowid='post_id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3')""",
    """CREATE TRIGGER search_postdocument_ai AFTER INSERT ON search_postdocument BEGIN
        INSERT INTO search_postdocument_fts(rowid, text) VALUES (new.post_id, new.text);
    END""",
    """CREATE TRIGGER search_postdocument_ad AFTER DELETE ON search_postdocument BEGIN
        INSERT INTO search_postdocument_fts(search_postdocument_fts, rowid, text)
        VALUES ('delete', old.post_id, old.text);
    END""",
    """CREATE TRIGGER search_postdocument_au AFTER UPDATE ON search_postdocument BEGIN
        INSERT INTO search_postdocument_fts(search_postdocument_fts, rowid, text)
        VALUES ('delete', old.post_id, old.text);
        INSERT INTO search_postdocument_fts(rowid, text) VALUES (new.post_id, new.text);
    END""",
]
SQLITE_BACK = [
    "DROP TRIGGER IF EXISTS search_postdocument_au",
    "DROP TRIGGER IF EXISTS search_postdocument_ad",
    "DROP TRIGGER IF EXISTS search_postdocument_ai",
    "DROP TABLE IF EXISTS search_postdocument_fts",
]

POSTGRES = [
    """ALTER TABLE search_postdocument ADD COLUMN text_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED""",
    "CREATE INDEX search_postdoc_text_vector ON search_postdocument USING gin (text_vector)",
]
POSTGRES_BACK = [
    "DROP INDEX IF EXISTS search_postdoc_text_vector",
    "ALTER TABLE search_postdocument DROP COLUMN IF EXISTS text_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_posts_and_hashtags")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_BACK, "postgresql": POSTGRES_BACK}),
        )
    ]
