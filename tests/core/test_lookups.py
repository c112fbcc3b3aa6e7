"""`field__among`: ids as one query parameter, the same rows as `__in` on both databases."""

from accounts.models import User
from profiles.models import Profile
from tests.factories import make_member


def test_among_finds_what_in_finds_with_one_parameter_on_a_plain_and_a_related_key(db):
    from django.db import connection

    seen = []

    def record(execute, sql, params, many, context):
        seen.append(len(params))
        return execute(sql, params, many, context)

    members = [make_member(handle=f"m{i}") for i in range(4)]
    wanted = [members[0].pk, members[2].pk, 10**9]
    with connection.execute_wrapper(record):
        users = set(User.objects.filter(pk__among=wanted).values_list("pk", flat=True))
        profiles = set(Profile.objects.filter(pk__among=wanted).values_list("pk", flat=True))
    assert users == profiles == {members[0].pk, members[2].pk}
    assert users == set(User.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    assert seen == [1, 1]  # three ids, one parameter
    assert set(User.objects.filter(pk__among=[]).values_list("pk", flat=True)) == set()
