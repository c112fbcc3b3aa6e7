"""`core.compiled.CompiledRead`: SQL compiled once, filled per call, rows as the ORM reads them."""

import pytest
from django.db import connection

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
    knowing the other; an extra lookup's value set on the instance; a member without a
    profile row loads it lazily (and finds none), as the ORM would."""
    from core.compiled import CompiledObjects

    ann = make_member(handle="ann", display_name="Ann A")
    ann.profile.headline = "Engineer"
    ann.profile.save()
    read = CompiledObjects(
        User,
        ("profile", "counts"),
        lambda pk: User.objects.filter(pk=pk),
        -1,
        extra={"chosen_language": "profile__language"},
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
