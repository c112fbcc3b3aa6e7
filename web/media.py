"""Avatars under MEDIA_ROOT when no web server sits in front (`make run` has DEBUG off)."""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.utils._os import safe_join

SERVED_FOLDERS = ("avatars/",)


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
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
