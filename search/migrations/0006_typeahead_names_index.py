"""PostgreSQL: the typeahead's names in a covering index of their own.

`(member_id) INCLUDE (name, name_vector)` is 112 MB at 1,000,000 members against the table's
1,154 MB, so the typeahead's "first names starting with ..." reads a few pages of an index
that stays in memory instead of the documents' heap: engine p99 for 2 and 3 letters 8.4-8.9
ms -> 2.0-2.7, typeahead 2 and 3 letters 10.4-12.1 -> 4.2-9.0 (docs/benchmarks.md, "One million
members on PostgreSQL, a fifth time"). SQLite's typeahead reads its FTS5 index: nothing.
"""

from django.db import migrations

INDEX = "search_doc_names"


def _forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON search_memberdocument (member_id)"
        " INCLUDE (name, name_vector)"
    )


def _back(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0005_gin_pending_lists")]

    operations = [migrations.RunPython(_forward, _back)]
