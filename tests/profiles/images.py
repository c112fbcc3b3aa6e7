"""Small images made in memory for avatar tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_upload(fmt="PNG", size=(640, 480), name=None, color=(30, 90, 160), exif=None):
    buffer = io.BytesIO()
    mode = "RGBA" if fmt in {"PNG", "WEBP"} else "RGB"
    image = Image.new(mode, size, color)
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=fmt, **kwargs)
    return SimpleUploadedFile(name or f"photo.{fmt.lower()}", buffer.getvalue())
