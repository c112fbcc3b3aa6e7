"""Search's cast: members written through the services (so indexing is itself behaviour),
real commits (the index is kept current after commit), a fresh graph index."""

import datetime

import pytest

from profiles import services as profiles
from tests.factories import make_member


@pytest.fixture(autouse=True)
def committed(transactional_db):
    """Real commits: documents are rebuilt after commit, as in production."""


@pytest.fixture(autouse=True)
def world(cast_world):
    """Fast password hashing and a fresh graph index (tests/conftest.py)."""


def person(
    handle,
    name,
    *,
    headline="",
    location="",
    industry="",
    company="",
    school="",
    past_company="",
    skill="",
):
    member = make_member(handle=handle, display_name=name, email=f"{handle}@example.com")
    if headline or location or industry:
        profiles.update_profile(
            member=member, headline=headline, location=location, industry=industry
        )
    if company:
        profiles.add_position(
            member=member, title="Engineer", company=company, started_on=datetime.date(2022, 1, 1)
        )
    if past_company:
        profiles.add_position(
            member=member,
            title="Analyst",
            company=past_company,
            started_on=datetime.date(2015, 1, 1),
            ended_on=datetime.date(2018, 1, 1),
        )
    if school:
        profiles.add_education(member=member, school=school)
    if skill:
        profiles.add_skill(member=member, name=skill)
    return member


@pytest.fixture
def make_person():
    return person
