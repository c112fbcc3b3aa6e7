"""Factories for the shared cast. Members are made through the sign-up service."""

import datetime

import factory

from membership.services import create_member
from profiles.models import Education, Position, Skill

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class MemberFactory(factory.Factory):
    """A confirmed member with a profile; pass `password=` to sign in with it."""

    class Meta:
        model = dict

    handle = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda o: f"{o.handle}@example.com")
    display_name = factory.Faker("name")
    password = DEFAULT_PASSWORD
    email_confirmed = True

    @classmethod
    def _create(cls, model_class, **kwargs):
        return create_member(validate=False, **kwargs)

    _build = _create


def make_member(**kwargs):
    return MemberFactory(**kwargs)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    member = factory.SubFactory(MemberFactory)
    title = factory.Faker("job")
    company = factory.Faker("company")
    started_on = datetime.date(2020, 1, 1)


class EducationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Education

    member = factory.SubFactory(MemberFactory)
    school = "University of Somewhere"
    start_year = 2010
    end_year = 2014


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    member = factory.SubFactory(MemberFactory)
    name = factory.Sequence(lambda n: f"Skill {n}")
