"""The feed's cast: Ann, Ben, Cat, Dan and Eve, a fresh graph index, real commits."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


@pytest.fixture(autouse=True)
def committed(transactional_db):
    """Real commits: notifications and the fan-out run after commit, as in production."""


@pytest.fixture(autouse=True)
def empty_cache():
    from django.core.cache import cache

    from feed import impressions

    cache.clear()
    impressions.drain()


@pytest.fixture(autouse=True)
def world(cast_world):
    """Fast password hashing and a fresh graph index (tests/conftest.py)."""


def png_upload(name="photo.png", size=(64, 48), exif=False) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        image.save(out, format="JPEG", exif=data)
        return SimpleUploadedFile(name.replace(".png", ".jpg"), out.getvalue(), "image/jpeg")
    image.save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), "image/png")
