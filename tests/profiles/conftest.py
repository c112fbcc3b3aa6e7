import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded avatars go to a throwaway folder, never var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
