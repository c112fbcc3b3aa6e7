"""(prefix, router) pairs mounted on the API; each context adds its own line."""

from api import (
    accounts,
    applications,
    feed_extras,
    instance,
    messaging,
    notifications,
    pages,
    portability,
    search,
    statuses,
    streaming,
)
from api.network import router as network_router

ALL: list = [
    ("", instance.router),
    ("/v1/apps", applications.router),
    ("/v1/accounts", accounts.router),
    ("/v1", network_router),
    ("", statuses.router),  # issue 12: statuses, media, timelines
    ("", notifications.router),
    ("", feed_extras.router),
    ("", messaging.router),  # issue 13: conversations, messages, requests, InMail
    ("", streaming.router),  # issue 13: Mastodon's streaming API over server-sent events
    ("", search.router),  # issue 14: /v2/search, /v1/accounts/search, suggestions
    ("", portability.router),  # issue 17: imports and exports
    ("", pages.router),  # issue 16: company and school pages
]
