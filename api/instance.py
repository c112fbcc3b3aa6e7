"""GET /api/v1/instance and /api/v2/instance: what clients read before anything else."""

from datetime import timedelta

from django.conf import settings
from ninja import Router

from accounts import queries as accounts_queries
from core import clock
from feed import queries as feed_queries
from feed.models import Post

LINKWELL_VERSION = "0.1.0"
# Mastodon.py and other clients gate features on the leading Mastodon version.
VERSION = f"4.3.0 (compatible; Linkwell {LINKWELL_VERSION})"
POST_MAX_CHARACTERS = Post._meta.get_field("text").max_length

router = Router(tags=["instance"])


def _site_name() -> str:
    return getattr(settings, "LINKWELL_SITE_NAME", "Linkwell")


def _contact_email() -> str:
    return getattr(settings, "LINKWELL_CONTACT_EMAIL", "")


DESCRIPTION = (
    "A self-hostable professional network: connect with the people you know, "
    "follow the ones you learn from."
)


def _streaming(request) -> str:
    """Where the streaming API is served: this very site, over server-sent events, so http or
    https as the request came (behind a TLS proxy, https through the forwarded scheme)."""
    return f"{request.scheme}://{request.get_host()}"


def _configuration(request) -> dict:
    return {
        "urls": {"streaming": _streaming(request), "status": None},
        "vapid": {"public_key": ""},
        "accounts": {"max_featured_tags": 0, "max_pinned_statuses": 0},
        "statuses": {
            "max_characters": POST_MAX_CHARACTERS,
            "max_media_attachments": settings.LINKWELL_POST_MAX_IMAGES,
            "characters_reserved_per_url": 23,
        },
        "media_attachments": {
            "supported_mime_types": ["image/jpeg", "image/png", "image/webp", "image/gif"],
            "image_size_limit": settings.LINKWELL_MEDIA_MAX_BYTES,
            "image_matrix_limit": 40_000_000,
            "video_size_limit": 0,
            "video_frame_rate_limit": 0,
            "video_matrix_limit": 0,
        },
        "polls": {
            "max_options": 0,
            "max_characters_per_option": 0,
            "min_expiration": 0,
            "max_expiration": 0,
        },
        "translation": {"enabled": False},
    }


def _thumbnail() -> str:
    return f"{settings.SITE_URL}{settings.STATIC_URL}api/header-missing.png"


@router.get("/v1/instance", summary="Server information (Mastodon v1)")
@router.get("/v1/instance/", include_in_schema=False)
def instance_v1(request):
    return {
        "uri": request.get_host(),
        "title": _site_name(),
        "short_description": DESCRIPTION,
        "description": DESCRIPTION,
        "email": _contact_email(),
        "version": VERSION,
        "urls": {"streaming_api": _streaming(request)},
        "stats": {
            "user_count": accounts_queries.member_count(),
            "status_count": feed_queries.post_count(),
            "domain_count": 0,
        },
        "thumbnail": _thumbnail(),
        "languages": ["en"],
        "registrations": True,
        "approval_required": False,
        "invites_enabled": False,
        "configuration": _configuration(request),
        "contact_account": None,
        "rules": [],
    }


@router.get("/v2/instance", summary="Server information (Mastodon v2)")
@router.get("/v2/instance/", include_in_schema=False)
def instance_v2(request):
    month_ago = clock.now() - timedelta(days=30)
    return {
        "domain": request.get_host(),
        "title": _site_name(),
        "version": VERSION,
        "source_url": getattr(settings, "LINKWELL_SOURCE_URL", f"{settings.SITE_URL}/"),
        "description": DESCRIPTION,
        "usage": {"users": {"active_month": accounts_queries.signed_in_since(month_ago)}},
        "thumbnail": {"url": _thumbnail(), "blurhash": None, "versions": {}},
        "icon": [],
        "languages": ["en"],
        "configuration": _configuration(request),
        "registrations": {
            "enabled": True,
            "approval_required": False,
            "message": None,
            "url": None,
        },
        "api_versions": {"mastodon": 2},
        "contact": {"email": _contact_email(), "account": None},
        "rules": [],
    }
