"""Pages setup through the services (membership's orchestration for positions and schools),
so setup is itself behaviour."""

from datetime import date

from membership import services as membership
from pages import services
from tests.network.factories import connect, set_profile  # noqa: F401


def company(by, name="Hazelmark", slug="", **fields):
    return services.create_page(by=by, kind="company", name=name, slug=slug, **fields)


def school(by, name="Northfield University", slug="", **fields):
    return services.create_page(by=by, kind="school", name=name, slug=slug, **fields)


def work_at(member, page=None, *, company="", title="Engineer", ended=None, started=None):
    return membership.add_position(
        member=member,
        page_id=page.pk if page is not None else None,
        title=title,
        company=company or page.name,
        started_on=started or date(2020, 1, 1),
        ended_on=ended,
    )


def study_at(member, page=None, *, school="", start=2010, end=2014, field="", degree=""):
    return membership.add_education(
        member=member,
        page_id=page.pk if page is not None else None,
        school=school or page.name,
        start_year=start,
        end_year=end,
        field_of_study=field,
        degree=degree,
    )
