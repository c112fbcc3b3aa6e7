"""The full-text interface, the same on SQLite (FTS5) and PostgreSQL (tsvector, pg_trgm):
what it matches, not how each engine does it."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from profiles import services as profiles
from search import fulltext, services
from search.fulltext import Filters, Scope
from search.models import MemberDocument, MemberFacet


def ids(found):
    return [member_id for member_id, _score in found]


def test_fold_takes_accents_and_case_off():
    assert fulltext.fold("Müller") == "muller"
    assert fulltext.fold("ÉCOLE Straße") == "ecole strasse"
    assert fulltext.fold(None) == "" and fulltext.fold("") == ""


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_fold_of_ascii_is_what_the_normalising_path_gives(text):
    """ASCII takes a shortcut (lowered only); it must agree with NFKD, combining marks off,
    casefold and NFKC, which every other text goes through."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    assert fulltext.fold(text) == unicodedata.normalize("NFKC", bare.casefold())


def test_a_query_without_accents_finds_a_name_with_them(make_person):
    muller = make_person("jmuller", "Jürgen Müller")
    assert ids(fulltext.match("muller", scope=Scope.NAME, limit=10)) == [muller.pk]
    assert ids(fulltext.match("MÜLL", scope=Scope.NAME, limit=10)) == [muller.pk]


def test_every_term_is_a_prefix_and_all_must_match(make_person):
    ana = make_person("ana", "Ana Lima", headline="Data engineer")
    make_person("anabel", "Anabel Costa", headline="Designer")
    assert ids(fulltext.match("an engin", scope=Scope.ALL, limit=10)) == [ana.pk]


def test_query_syntax_is_only_text(make_person):
    make_person("ana", "Ana Lima")
    for hostile in ['"', "ana OR", "NEAR(a b)", "a:*", "'&|!", "name : x", "*"]:
        fulltext.match(hostile, scope=Scope.ALL, limit=10)  # no engine error


def test_a_profile_change_is_searchable_after_commit(make_person):
    ana = make_person("ana", "Ana Lima")
    assert not fulltext.match("hazelmark", scope=Scope.ALL, limit=10)
    profiles.update_profile(member=ana, headline="Founder at Hazelmark")
    assert ids(fulltext.match("hazelmark", scope=Scope.ALL, limit=10)) == [ana.pk]
    profiles.update_profile(member=ana, display_name="Ana Ribeiro")
    assert ids(fulltext.match("ribeiro", scope=Scope.NAME, limit=10)) == [ana.pk]
    assert not fulltext.match("lima", scope=Scope.NAME, limit=10)


def test_s1_card_scope_never_matches_what_the_public_card_hides(make_person):
    make_person("ana", "Ana Lima", industry="Aerospace", skill="Rust", school="Porto Uni")
    for hidden in ("aerospace", "rust", "porto"):
        assert fulltext.match(hidden, scope=Scope.ALL, limit=10)
        assert not fulltext.match(hidden, scope=Scope.CARD, limit=10)


def test_a_name_match_ranks_above_a_headline_match(make_person):
    by_headline = make_person("bo", "Bo Chen", headline="Works with Porter")
    by_name = make_person("porter", "Sam Porter")
    assert ids(fulltext.match("porter", scope=Scope.ALL, limit=10)) == [by_name.pk, by_headline.pk]


def test_filters_narrow_by_ids_and_facets(make_person):
    ana = make_person("ana", "Ana Lima", company="Hazelmark")
    bea = make_person("bea", "Bea Lima", company="Other")
    assert ids(
        fulltext.match("lima", scope=Scope.ALL, limit=10, filters=Filters(ids=[bea.pk]))
    ) == [bea.pk]
    assert fulltext.match("lima", scope=Scope.ALL, limit=10, filters=Filters(ids=[])) == []
    facet = Filters(facets=(("company", "hazelmark"),))
    assert ids(fulltext.match("lima", scope=Scope.ALL, limit=10, filters=facet)) == [ana.pk]
    assert ids(fulltext.match("", scope=Scope.ALL, limit=10, filters=facet)) == [ana.pk]


def test_reindex_rebuilds_the_same_documents(make_person):
    ana = make_person("ana", "Ana Lima", company="Hazelmark", school="Porto Uni")
    before = list(MemberDocument.objects.values_list("member_id", "name", "card", "rest"))
    facets = sorted(MemberFacet.objects.values_list("member_id", "kind", "value"))
    MemberDocument.objects.all().delete()
    assert not fulltext.match("ana", scope=Scope.NAME, limit=10)
    assert services.reindex(batch=1) == 1
    assert list(MemberDocument.objects.values_list("member_id", "name", "card", "rest")) == before
    assert sorted(MemberFacet.objects.values_list("member_id", "kind", "value")) == facets
    assert ids(fulltext.match("ana", scope=Scope.NAME, limit=10)) == [ana.pk]


def test_reindex_from_rows_writes_what_indexing_each_member_writes(make_person):
    """A rebuild reads members as plain rows, four statements a batch; its documents and
    facets are those the services wrote one member at a time (every field, in batches that
    split the members, a deactivated member left out)."""
    make_person(
        "jo",
        "Jürgen Ölsen",
        headline="Data Lead",
        location="São Paulo",
        industry="Retail",
        company="Hazelmark",
        past_company="Brightwell",
        school="Porto Uni",
        skill="Python",
    )
    make_person("bo", "Bo Berg", company="Acme", school="Lund")
    make_person("al", "Al Ash", location="Lyon")
    gone = make_person("cy", "Cy Gone", company="Acme")
    services.index_member(gone.pk)  # indexed before, then deactivated below
    type(gone).objects.filter(pk=gone.pk).update(is_active=False)
    services.index_member(gone.pk)
    columns = ("member_id", "name", "card", "rest")
    before = sorted(MemberDocument.objects.values_list(*columns))
    facets = sorted(MemberFacet.objects.values_list("member_id", "kind", "value", "label"))
    assert len(before) == 3 and len(facets) >= 8
    assert services.reindex(batch=2) == 3
    assert sorted(MemberDocument.objects.values_list(*columns)) == before
    assert sorted(MemberFacet.objects.values_list("member_id", "kind", "value", "label")) == facets


def test_indexing_twice_changes_nothing(make_person):
    ana = make_person("ana", "Ana Lima", company="Hazelmark")
    services.index_member(ana.pk)
    services.index_member(ana.pk)
    assert MemberDocument.objects.count() == 1
    assert MemberFacet.objects.filter(member=ana, kind="company").count() == 1
    assert ids(fulltext.match("ana", scope=Scope.NAME, limit=10)) == [ana.pk]


def test_a_deleted_member_leaves_the_index(make_person):
    from membership.services import delete_member

    ana = make_person("ana", "Ana Lima", company="Hazelmark")
    delete_member(member=ana)
    assert not fulltext.match("ana", scope=Scope.NAME, limit=10)
    assert not MemberFacet.objects.exists()


def test_typeahead_names_finds_connections_by_every_prefix_and_others_apart(make_person):
    ana, bea = make_person("ana", "Ana Lima"), make_person("bea", "Bea Lisboa")
    make_person("cid", "Cid Lima")
    mine, others = fulltext.typeahead_names("li", [ana.pk, bea.pk], limit=50)
    assert sorted(i for i, _name in mine) == [ana.pk, bea.pk]
    assert {i for i, _name in others} >= {ana.pk, bea.pk}  # the engine's matches, any order
    mine, _ = fulltext.typeahead_names("ana li", [ana.pk, bea.pk], limit=50)
    assert [i for i, _name in mine] == [ana.pk]
    assert fulltext.typeahead_names("zz", [ana.pk], limit=50) == ([], [])


def test_typeahead_with_a_common_short_term_still_matches_every_term(make_person):
    """PostgreSQL asks its GIN index for the rare terms only (ANALYZE's sample says which)
    and checks the common ones on the rows it returns: "ji-h" is Ji-hoon, not Jia."""
    from django.db import connection

    for n in range(24):
        make_person(f"hana{n}", f"Hana Hill{n}")
    jihoon = make_person("jihoon", "Ji-hoon Park")
    make_person("jia", "Jia Chen")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_memberdocument")
        fulltext._stats.clear()  # the process's kept sample, read again
        assert fulltext._index_term(["ji", "h"], "name_vector") == ["ji"]
    assert [i for i, _name in fulltext.prefix_names("ji-h", limit=10)] == [jihoon.pk]
    mine, others = fulltext.typeahead_names("ji-h", [jihoon.pk], limit=10)
    assert [i for i, _ in mine] == [jihoon.pk] and [i for i, _ in others] == [jihoon.pk]


def test_postgresql_gin_indexes_keep_a_small_pending_list_and_a_reindex_leaves_none(
    make_person,
):
    """Migration 0005: a GIN pending list is scanned in full by every search (6.6 ms for a
    name look-up at 100,000 members); after a reindex nothing is left in it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's GIN indexes")
    make_person("ana", "Ana Lima")
    services.reindex()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s)",
            [list(fulltext.MEMBER_GIN + fulltext.POST_GIN)],
        )
        options = dict(cursor.fetchall())
    assert set(options) == set(fulltext.MEMBER_GIN + fulltext.POST_GIN)
    assert all(o == ["gin_pending_list_limit=128"] for o in options.values())
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pgstattuple'")
        if not cursor.fetchall():
            pytest.skip("pgstattuple (PostgreSQL's contrib) is not installed here")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple")
        cursor.execute("SELECT pending_pages FROM pgstatginindex('search_doc_name_vector')")
        [(pending,)] = cursor.fetchall()
    assert pending == 0
