"""Search's background work: the profile and feed services name these tasks after every
commit that changes what a member's or a post's document holds (profiles and feed sit below
search, so they can't call it)."""

from django_tasks import task

from search import services


@task()
def index_member(member_id: int) -> bool:
    """A member's search document and facets as their profile now is."""
    return services.index_member(member_id)


@task()
def index_post(post_id: int, tag_ids: list | None = None) -> bool:
    """A post's search document, and its hashtags' counts (with those it had before)."""
    return services.index_post(post_id, tag_ids or ())


@task()
def count_hashtags(tag_ids: list) -> int:
    """Hashtags' counts again after posts went in bulk (a member's deletion, U4)."""
    return services.count_hashtags(tag_ids)
