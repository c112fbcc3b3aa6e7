"""`core.compiled.CompiledRead`: SQL compiled once, filled per call, rows as the ORM reads them."""

import pytest
from django.db import connection
from django.db.models import F

from accounts.models import User
from core.compiled import CompiledRead
from core.lookups import Ids
from network.models import InvitationStatus
from tests.factories import make_member


def test_a_compiled_read_with_an_ids_sentinel_reads_what_the_orm_reads_for_any_length(db):
    """One compiled statement for 1 or 3 ids (one parameter), a constant kept, and the
    moments converted as `values_list` converts them (SQLite returns text without it)."""
    members = [make_member(handle=f"c{i}") for i in range(3)]

    def build(ids):
        return User.objects.filter(pk__among=ids, is_active=True).values_list(
            "pk", "date_joined", "username"
        )

    read = CompiledRead(build, Ids("ids"), constants=True)
    for wanted in ([members[1].pk], [m.pk for m in members]):
        got = sorted(tuple(row) for row in read.rows(connection.alias, wanted))
        assert got == sorted(build(wanted))
    assert len(read._compiled) == 1


def test_a_compiled_read_keeps_no_constant_that_holds_a_rewritten_sentinel(db):
    read = CompiledRead(
        lambda handle: User.objects.filter(username__contains=handle), "x", constants=True
    )
    with pytest.raises(ValueError, match="compiled parameters"):
        read.sql(connection.alias, "ann")  # contains makes %x%: not a constant, a stale value
    kept = CompiledRead(
        lambda pk: User.objects.filter(pk=pk, username=InvitationStatus.PENDING.value),
        -1,
        constants=True,
    )
    sql, params = kept.sql(connection.alias, 7)
    assert params == [7, "pending"]


def test_compiled_objects_come_with_their_related_rows_as_select_related_gives_them(
    db, django_assert_num_queries
):
    """The member with profile and kept counts in one statement, each side of the one-to-one
    knowing the other; an annotation's value set on the instance; a member without a
    profile row has none, as the ORM would say."""
    ann = make_member(handle="ann", display_name="Ann A")
    ann.profile.headline = "Engineer"
    ann.profile.save()
    read = CompiledRead(
        lambda pk: (
            User.objects.filter(pk=pk)
            .select_related("profile", "counts")
            .annotate(chosen_language=F("profile__language"))
        ),
        -1,
    )
    joined = User.objects.get(pk=ann.pk).date_joined
    with django_assert_num_queries(1):
        (found,) = read.objects(connection.alias, ann.pk)
        assert (found.pk, found.username, found.display_name) == (ann.pk, "ann", "Ann A")
        assert found.date_joined == joined
        assert found.profile.headline == "Engineer"
        assert found.profile.member is found
        assert found.counts.followers == 0
        assert found.chosen_language == ""
    assert read.objects(connection.alias, ann.pk + 1000) == []
    bare = make_member(handle="bare")
    bare.profile.delete()
    (loaded,) = read.objects(connection.alias, bare.pk)
    with pytest.raises(User.profile.RelatedObjectDoesNotExist):
        loaded.profile  # noqa: B018


def test_compiled_objects_are_the_orm_models_with_their_select_related_rows(db):
    """`objects`: the instances the ORM's own iterable makes, the profile attached (no
    second query for it) and the moments converted on both databases."""
    members = [make_member(handle=f"o{i}") for i in range(2)]
    read = CompiledRead(
        lambda ids: User.objects.filter(pk__among=ids).select_related("profile").order_by("pk"),
        Ids("ids"),
    )
    got = read.objects(connection.alias, [m.pk for m in members])
    assert [(u.pk, u.username, u.date_joined) for u in got] == [
        (m.pk, m.username, User.objects.get(pk=m.pk).date_joined) for m in members
    ]
    assert all(u._state.db == connection.alias and not u._state.adding for u in got)
    assert all("profile" in u._state.fields_cache for u in got)
    assert got[0].profile.pk == members[0].profile.pk


def test_a_compiled_read_keeps_only_the_numbers_it_was_told_of(db):
    """A formula's factor named in `numbers` is kept; any other number is refused (it could be
    a call's value baked into the SQL), and a sentinel equal to a named number is refused."""
    build = lambda pk: User.objects.filter(pk=pk, id__gt=0)  # noqa: E731
    with pytest.raises(ValueError, match="compiled parameters"):
        CompiledRead(build, -1).sql(connection.alias, 7)
    sql, params = CompiledRead(build, -1, numbers=(0,)).sql(connection.alias, 7)
    assert sorted(params) == [0, 7]
    with pytest.raises(ValueError, match="sentinel"):
        CompiledRead(build, 0, numbers=(0,))
