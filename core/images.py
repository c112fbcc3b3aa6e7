"""Uploaded images read safely, for every area that takes one (avatars, post images, logos).

The bytes decide, not the name or the browser's content type: the size is checked before
reading, the type and the pixel count before decoding, so a decompression bomb is refused
with a sentence (422), never decoded and never a 500.
"""

import io

from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from core.errors import Invalid

MAX_PIXELS = 40_000_000
TOO_MANY_PIXELS = _("That image is too large in pixels; use one under 40 megapixels.")


def open_checked(upload, *, max_bytes: int, types, rule: str, too_big, bad_type) -> Image.Image:
    """The decoded image, or `Invalid` with `too_big`, `bad_type` or TOO_MANY_PIXELS and the
    caller's rule id."""
    if upload.size > max_bytes:
        raise Invalid(too_big, rule=rule)
    data = upload.read()
    try:
        probe = Image.open(io.BytesIO(data))
        if probe.format not in types:
            raise Invalid(bad_type, rule=rule)
        width, height = probe.size
        if width * height > MAX_PIXELS:
            raise Invalid(TOO_MANY_PIXELS, rule=rule)
        probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except Image.DecompressionBombError as exc:
        raise Invalid(TOO_MANY_PIXELS, rule=rule) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise Invalid(bad_type, rule=rule) from exc
    return image
