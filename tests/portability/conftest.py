"""Issue 17's cast: Ines imports; members she may find, and one who blocked her."""

import pytest

from network import loader
from portability import services
from tests.factories import make_member


@pytest.fixture(autouse=True)
def fast_passwords(fast_hasher):
    pass


@pytest.fixture(autouse=True)
def fresh_graph_index():
    loader.reset()
    yield
    loader.reset()


@pytest.fixture
def ines(db):
    return make_member(handle="ines", display_name="Ines Imrie", email="ines@example.com")


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Upload and run the job as the inline backend would, right after the commit."""

    def run(member, data: bytes, *, name="Basic_LinkedInDataExport.zip", kind="linkedin"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        with django_capture_on_commit_callbacks(execute=True):
            source = services.start_import(
                member=member, kind=kind, upload=SimpleUploadedFile(name, data)
            )
        source.refresh_from_db()
        return source

    return run
