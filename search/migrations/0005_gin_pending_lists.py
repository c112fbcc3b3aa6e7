"""PostgreSQL: small GIN pending lists on the search indexes, and the current ones flushed.

A GIN index with `fastupdate` keeps new entries in an unsorted pending list that every
search scans in full until VACUUM (or the list's limit, 4 MB by default) merges it. After a
bulk load the name index's list held most of the index: a look-up that finds nothing took
6.6 ms instead of 0.04 ms at 100,000 members (docs/benchmarks.md, "Search"). 128 kB keeps
that scan near 0.2 ms at worst and still merges bulk inserts in batches. SQLite: nothing.
"""

from django.db import migrations

GIN_INDEXES = (
    "search_doc_name_vector",
    "search_doc_card_vector",
    "search_doc_all_vector",
    "search_doc_name_trgm",
    "search_postdoc_text_vector",
)
PENDING_LIST_KB = 128


def _forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in GIN_INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} SET (gin_pending_list_limit = {PENDING_LIST_KB})")
        schema_editor.execute(f"SELECT gin_clean_pending_list('{name}'::regclass)")


def _back(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in GIN_INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} RESET (gin_pending_list_limit)")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_post_engines")]

    operations = [migrations.RunPython(_forward, _back)]
