"""Images members attach to posts: the bytes decide the type (Pillow), never the name;
re-encoding drops EXIF (location, camera) and anything hidden in the file; large images are
resized so no upload is served at its full size."""

import io

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from core import clock
from core.images import open_checked

IMAGE_TYPES = {"JPEG", "PNG", "WEBP", "GIF"}
IMAGE_BAD_TYPE = _("An image must be a JPEG, PNG, WebP or GIF file.")
IMAGE_TOO_BIG = _("An image can be at most %(limit)s MB.")


def _open(upload) -> Image.Image:
    limit = settings.LINKWELL_MEDIA_MAX_BYTES
    return open_checked(
        upload,
        max_bytes=limit,
        types=IMAGE_TYPES,
        rule="P1",
        too_big=IMAGE_TOO_BIG % {"limit": f"{limit / (1024 * 1024):g}"},
        bad_type=IMAGE_BAD_TYPE,
    )


def _encode(image: Image.Image, longest: int) -> tuple[bytes, int, int]:
    image = image.copy()
    image.thumbnail((longest, longest), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=85, method=4)
    return out.getvalue(), image.width, image.height


def prepare(upload) -> dict:
    """{full, preview (bytes, WebP), width, height}: upright, re-encoded, at most
    LINKWELL_MEDIA_MAX_SIDE pixels on the longest side."""
    image = ImageOps.exif_transpose(_open(upload))
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    full, width, height = _encode(image, settings.LINKWELL_MEDIA_MAX_SIDE)
    preview, _, _ = _encode(image, 400)
    return {"full": full, "preview": preview, "width": width, "height": height}


# --- Where a post's image is served (web.feed.views.post_image) ------------------------------

SIZES = ("full", "preview")
TOKEN_DAYS = 7  # a signed URL lasts this long: clients re-read timelines far more often


def _signer(media_id: int, kind: str = "post-image") -> signing.Signer:
    return signing.Signer(salt=f"linkwell.{kind}.{media_id}")


def _today() -> int:
    return int(clock.now().timestamp() // 86400)


def image_path(media_id: int, size: str, *, viewer_id: int | None = None) -> str:
    """The path of a post's image. Mastodon clients fetch images without their token, so an
    image only some members may see carries the viewer it was given to, signed (`v`); the
    view then checks that this viewer may see the post, now. Stable for a day (caches)."""
    path = f"/images/{media_id}/{size}/"
    if viewer_id:
        path += "?v=" + viewer_token(media_id, viewer_id)
    return path


def viewer_token(object_id: int, viewer_id: int, *, kind: str = "post-image") -> str:
    """The signed `v` of a file's address: who it was given to, and the day (a post's image,
    or `kind="message-file"` for a message's attachment)."""
    return _signer(object_id, kind).sign(f"{viewer_id}.{_today()}")


def viewer_in(media_id: int, token: str, *, kind: str = "post-image") -> int | None:
    """The member a signed image URL was given to, while it is valid; None otherwise."""
    try:
        viewer, day = _signer(media_id, kind).unsign(token or "").split(".")
        viewer_id, day = int(viewer), int(day)
    except (signing.BadSignature, ValueError):
        return None
    return viewer_id if 0 <= _today() - day < TOKEN_DAYS else None
