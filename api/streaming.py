"""Mastodon's streaming API over server-sent events (docs.joinmastodon.org/methods/streaming):
`/api/v1/streaming/health`, `/user`, `/user/notification`, `/direct`, with the events
`notification`, `conversation`, and for posts `update` (a new Status), `status.update` (an
edited Status) and `delete` (the id of a deleted one, as a string).

Areas publish plain ids after commit (core.live); each event is turned into its entity here,
for the member who listens, through the same doors as every other answer, so a stream never
shows what the member couldn't read (a block since the event: nothing is sent). A browser's
EventSource can't send headers, so `?access_token=` is accepted as Mastodon accepts it.
"""

import json

from django.http import HttpResponse
from ninja import Router

from api.auth import BearerToken, require_scope
from api.notifications import _entities as notification_entities
from api.schemas.messages import conversation_entities
from api.schemas.statuses import status_entities
from core import live
from core.errors import NotFound
from feed import inbox
from feed import queries as feed
from messaging import queries as messaging

router = Router(tags=["streaming"])


class StreamToken(BearerToken):
    """The bearer token from the header or, for EventSource, the `access_token` parameter."""

    def __call__(self, request):
        if not request.headers.get("Authorization") and request.GET.get("access_token"):
            request.oauth_token = None
            return self.authenticate(request, request.GET["access_token"])
        return super().__call__(request)


stream_auth = StreamToken(member_required=True, anonymous_allowed=False)

STREAMS = {
    "user": {"notification", "conversation", "update", "status.update", "delete"},
    "user:notification": {"notification"},
    "direct": {"conversation"},
}


def _renderer(member, stream: str):
    wanted = STREAMS[stream]

    def render(event: live.Event) -> list[tuple[str, str]]:
        if event.name not in wanted:
            return []
        try:
            if event.name == "conversation":
                if event.data.get("read_by") or event.data.get("members"):
                    return []  # a receipt or a change of members: the web page's only
                thread = messaging.conversation_for(member, event.data["conversation_id"])
                entity = conversation_entities(member, [thread])
            elif event.name in ("update", "status.update"):
                post = feed.visible_post(member, event.data["post_id"])  # P1, B1, mutes: now
                feed.decorate(member, [post])
                entity = status_entities(member, [post])
            elif event.name == "delete":
                return [("delete", str(event.data["post_id"]))]
            elif event.name == "notification":
                entity = notification_entities(
                    member, [inbox.notice(member, event.data["notification_id"])]
                )
            else:
                return []
        except NotFound:
            return []  # hidden since (a block): nothing to tell
        return [(event.name, json.dumps(entity[0]))] if entity else []

    return render


def _stream(request, stream: str):
    require_scope(request, "read:statuses", "read:notifications")
    member = request.auth
    return live.event_stream(request, member.pk, _renderer(member, stream))


@router.get("/v1/streaming/health", auth=None)
def health(request):
    """Mastodon answers a plain `OK` here (clients compare the text), the one non-JSON answer
    under /api/."""
    return HttpResponse("OK", content_type="text/plain")


@router.get("/v1/streaming/user", auth=stream_auth)
def user_stream(request):
    return _stream(request, "user")


@router.get("/v1/streaming/user/notification", auth=stream_auth)
def user_notification_stream(request):
    return _stream(request, "user:notification")


@router.get("/v1/streaming/direct", auth=stream_auth)
def direct_stream(request):
    return _stream(request, "direct")
