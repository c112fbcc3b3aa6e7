"""The feed's background work (issue 12): each task calls one function of feed.fanout or
feed.impressions, so a queue worker and the inline backend run exactly the same code."""

from django_tasks import task

from feed import fanout, impressions, news


@task()
def fan_out_post(post_id: int) -> int:
    """P3: a new post into its readers' timelines (none for an author past the threshold)."""
    return fanout.fan_out_post(post_id)


@task()
def fan_out_activity(member_id: int, post_id: int) -> int:
    """P3: "Dana commented on this": the post into Dana's connections' timelines."""
    return fanout.fan_out_activity(member_id, post_id)


@task()
def flush_impressions(pairs: list) -> int:
    """P4: a batch of (post, viewer) views, deduplicated in the cache before they got here."""
    return impressions.flush(pairs)


@task()
def announce_connection(member_a: int, member_b: int) -> int:
    """S7: "X is now connected to Y", when both members allow it (network enqueues it)."""
    return news.announce_connection(member_a, member_b)


@task()
def announce_position(member_id: int, position_id: int) -> int:
    """S7: "X has a new position", under `share_profile_updates` (profiles enqueues it)."""
    return news.announce_position(member_id, position_id)
