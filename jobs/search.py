"""Search's background work: the profile services name this task after every commit that
changes what a member's document holds (profiles sits below search, so it can't call it)."""

from django_tasks import task

from search import services


@task()
def index_member(member_id: int) -> bool:
    """A member's search document and facets as their profile now is."""
    return services.index_member(member_id)
