"""Kept counts' background work: a member found without a counter row is counted from the
rows after the write that found it commits (profiles.services.adjust_counts)."""

from django_tasks import task

from membership import services


@task()
def recount_members(member_ids: list[int]) -> int:
    return services.recount(member_ids=member_ids)
