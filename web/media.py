"""Uploaded files when no web server sits in front (`make run` has DEBUG off): avatars from
MEDIA_ROOT, and posts' images only through `post_image`, which asks the feed's door first.

A front web server may serve `/media/avatars/` itself; it must never serve the rest of
MEDIA_ROOT (posts' images are under `media/`), or a `connections` post's image would be
public to whoever has its address.
"""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.utils._os import safe_join

from accounts import queries as accounts_queries
from feed import images, queries
from feed.models import Visibility

SERVED_FOLDERS = ("avatars/",)
IMAGE_MAX_AGE = 60 * 60 * 24  # a day: an edit or delete makes a new id, never a new file


def _secure(response, content_type: str):
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


def serve_media(request, path: str):
    """Only uploaded avatars, only inside MEDIA_ROOT; anything else is a 404."""
    if not path.startswith(SERVED_FOLDERS):
        raise Http404
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, path))
    except Exception as exc:  # SuspiciousFileOperation: a path escaping MEDIA_ROOT
        raise Http404 from exc
    if not full.is_file():
        raise Http404
    content_type = mimetypes.guess_type(full.name)[0] or "application/octet-stream"
    response = FileResponse(full.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return _secure(response, content_type)


def post_image(request, media_id: int, size: str):
    """A post's image, for a viewer who may see the post (P1, B1): the signed-in member, or
    the member a signed URL was given to (Mastodon clients send no cookie nor token for
    images). Anyone else gets the same 404 as for an unknown id."""
    if size not in images.SIZES:
        raise Http404
    viewer = request.user
    if not viewer.is_authenticated and request.GET.get("v"):
        member_id = images.viewer_in(media_id, request.GET["v"])
        viewer = accounts_queries.active_members([member_id]).get(member_id) if member_id else None
    media = queries.visible_media(viewer, media_id)  # NotFound: the one 404 page
    stored = media.preview if size == "preview" and media.preview else media.file
    content_type = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
    public = media.post is not None and media.post.visibility == Visibility.ANYONE
    cache = f"{'public' if public else 'private'}, max-age={IMAGE_MAX_AGE}"
    etag = f'"{media.pk}-{size}-{Path(stored.name).stem}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        try:
            response = FileResponse(stored.open("rb"), content_type=content_type)
        except FileNotFoundError as exc:
            raise Http404 from exc
    response["ETag"] = etag
    response["Cache-Control"] = cache
    if not public:
        response["Vary"] = "Cookie"
    return _secure(response, content_type)
