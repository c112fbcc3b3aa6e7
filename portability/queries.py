"""Reads of imports and exports, each only to its owner, and the matching of LinkedIn
connections to members (X1: through the owning areas' reads, never showing an address).

Matching order (docs/portability.md): a confirmed address (accounts), the LinkedIn address
a member gave (ours), then the same name at the same company (accounts + search's facets) as
a "maybe". Every match passes `network.queries.visible_members` (B1, deactivated members).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from accounts import queries as accounts_queries
from core import clock
from core.errors import Gone, NotFound
from core.i18n import moment
from network import queries as network
from notifications.models import OWN
from portability.models import (
    Export,
    Import,
    JobState,
    LinkedInAddress,
    Section,
    StagedConnection,
    StagedRow,
    Strength,
)
from portability.readers import linkedin_date, linkedin_slug
from profiles.queries import ProfileView
from search import queries as search_queries
from search.fulltext import fold

IMPORT_NOT_FOUND = _("No such import.")
EXPORT_NOT_FOUND = _("No such export, or its link lapsed; ask for a new one.")
EXPORT_LAPSED = _("The link to this export lapsed on {when}; prepare a new export to download.")


def import_of(member, import_id) -> Import:
    """The member's own import; anyone else's is unknown (the same 404 as a missing one)."""
    found = Import.objects.filter(pk=as_id(import_id), member=member).first()
    if found is None:
        raise NotFound(IMPORT_NOT_FOUND)
    return found


def imports_of(member, *, limit: int = 10) -> list[Import]:
    return list(Import.objects.filter(member=member).order_by("-id")[:limit])


def export_of(member, export_id) -> Export:
    found = Export.objects.filter(pk=as_id(export_id), member=member).first()
    if found is None:
        raise NotFound(EXPORT_NOT_FOUND)
    return _with_lapse(found)


def exports_of(member, *, limit: int = 5) -> list[Export]:
    return [_with_lapse(e) for e in Export.objects.filter(member=member).order_by("-id")[:limit]]


def downloadable_export(member, export_id) -> Export:
    """X2: the owner's finished export inside its 7 days. Anyone else's id is the 404 (it
    says nothing of whose it is); to its owner after the 7 days, a sentence saying it lapsed."""
    export = export_of(member, export_id)
    if export.state != JobState.DONE or export.expires_at is None:
        raise NotFound(EXPORT_NOT_FOUND)
    if is_lapsed(export):
        raise Gone(EXPORT_LAPSED.format(when=moment(export.expires_at)), rule="X2")
    if not export_path(export).is_file():
        raise NotFound(EXPORT_NOT_FOUND)
    return export


def is_lapsed(export: Export) -> bool:
    """X2: a finished export's link works for LINKWELL_EXPORT_DAYS, then no more."""
    return export.expires_at is not None and export.expires_at <= clock.now()


def _with_lapse(export: Export) -> Export:
    """The export with `lapsed` (X2) read here, so pages show what the download answers."""
    export.lapsed = is_lapsed(export)
    return export


def attach_exports(member, notices) -> None:
    """The inbox's notices about the member's own exports (`notifications.models.OWN`) get
    their export as `subject`, one query; another member's export is never attached."""
    own = [n for n in notices if n.notification.kind in OWN]
    ids = [i for i in (as_id(n.notification.subject_id) for n in own) if i]
    found = Export.objects.filter(member=member, pk__in=ids) if ids else []
    exports = {e.pk: _with_lapse(e) for e in found}
    for notice in own:
        notice.subject = exports.get(notice.notification.subject_id)


def export_path(export: Export):
    return settings.LINKWELL_PORTABILITY_DIR / "exports" / f"{export.pk}.zip"


def upload_path(source: Import):
    return settings.LINKWELL_PORTABILITY_DIR / "imports" / f"{source.pk}.upload"


def as_id(value) -> int:
    """A path or form id as a positive int, 0 for anything else (30 digits, text)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number < 2**63 else 0


def linkedin_address_of(member) -> str:
    return (
        LinkedInAddress.objects.filter(member=member).values_list("slug", flat=True).first() or ""
    )


# --- Matching ----------------------------------------------------------------------------


def match_connections(member, rows: list[StagedConnection]) -> dict[int, tuple[int, str]]:
    """Row line → (member id, strength) for the rows that name a member here whom `member`
    may see. A row's address is compared, never returned (X1)."""
    found: dict[int, tuple[int, str]] = {}
    by_address = accounts_queries.confirmed_with_addresses(r.email for r in rows if r.email)
    for row in rows:
        pk = by_address.get(row.email.strip().lower()) if row.email else None
        if pk:
            found[row.line] = (pk, Strength.EMAIL)
    slugs = {row.line: linkedin_slug(row.url) for row in rows if row.line not in found}
    wanted = {s for s in slugs.values() if s}
    by_slug = {}
    for start in range(0, len(wanted), 1000):
        batch = sorted(wanted)[start : start + 1000]
        by_slug.update(
            LinkedInAddress.objects.filter(slug__in=batch).values_list("slug", "member_id")
        )
    for line, slug in slugs.items():
        if slug and slug in by_slug:
            found[line] = (by_slug[slug], Strength.LINKEDIN_URL)
    rest = [r for r in rows if r.line not in found and r.name and r.company]
    named = accounts_queries.ids_named(r.name for r in rest)
    companies = search_queries.companies_of({pk for ids in named.values() for pk in ids})
    for row in rest:
        company = fold(" ".join(row.company.split()))
        candidates = [pk for pk in named.get(row.name, ()) if company in companies.get(pk, ())]
        if len(candidates) == 1:  # two namesakes at one company: no guess
            found[row.line] = (candidates[0], Strength.NAME_COMPANY)
    return _visible(member, found)


def _visible(member, found: dict[int, tuple[int, str]]) -> dict[int, tuple[int, str]]:
    """B1 and deactivated members, as visible_members decides them, without loading every
    candidate's profile (that took 7.8 s for 7,000 matches at 100,000 members): the page
    reads the ones it shows through visible_members itself (`matches`)."""
    ids = sorted({pk for pk, _ in found.values() if pk != member.pk})
    seen: set[int] = set()
    for start in range(0, len(ids), accounts_queries.NAME_BATCH):
        seen |= accounts_queries.active_ids(ids[start : start + accounts_queries.NAME_BATCH])
    seen -= network.hidden_for(member)
    return {line: match for line, match in found.items() if match[0] in seen}


@dataclass
class MatchLine:
    """One LinkedIn connection as the importing member sees it: the member found (as
    visible_members shows them), how sure, whether already invited or connected."""

    row: StagedConnection
    view: ProfileView | None
    connected: bool = False

    @property
    def can_email(self) -> bool:
        """An unmatched contact with an address may be asked to join (the address stays
        the member's own; it is never shown next to a member)."""
        return self.view is None and bool(self.row.email) and self.row.emailed_at is None


def matches(member, source: Import, *, offset: int = 0, limit: int = 50, found_only=True):
    """A page of the import's connections, matched first (strongest first: the strengths'
    names sort in that order), each member read again through visible_members: a block or
    deactivation since the import hides them."""
    rows = StagedConnection.objects.filter(source=source)
    if found_only:
        rows = rows.exclude(strength="").order_by("strength", "line")
    else:
        rows = rows.order_by("line")
    total = rows.count()
    page = list(rows[offset : offset + limit])
    views = {
        v.member.pk: v
        for v in network.visible_members(member, [r.matched_id for r in page if r.matched_id])
    }
    connected = network.connected_among(member, list(views))
    lines = []
    for row in page:
        view = views.get(row.matched_id) if row.matched_id else None
        if row.matched_id and view is None:
            continue  # hidden since the import (B1)
        lines.append(MatchLine(row, view, connected=bool(view) and view.member.pk in connected))
    return lines, total


def emailable(source: Import, *, limit: int = 200) -> list[StagedConnection]:
    """Unmatched contacts with an address, not yet asked to join."""
    return list(
        StagedConnection.objects.filter(source=source, strength="", emailed_at__isnull=True)
        .exclude(email="")
        .order_by("line")[:limit]
    )


def counts(source: Import) -> dict:
    if source.state != JobState.DONE:
        return dict(source.counts)
    by_strength = dict(
        StagedConnection.objects.filter(source=source)
        .values_list("strength")
        .annotate(n=Count("pk"))
        .values_list("strength", "n")
    )
    total = sum(by_strength.values())
    result = dict(source.counts)
    result.update(
        connections=total,
        matched=total - by_strength.get("", 0),
        **{f"matched_{k}": by_strength.get(k, 0) for k in Strength.values},
        invited=StagedConnection.objects.filter(source=source, invited_at__isnull=False).count(),
    )
    return result


# --- The profile preview ----------------------------------------------------------------

FIELD_LABELS = {
    "display_name": _("Name"),
    "headline": _("Headline"),
    "about": _("About"),
    "industry": _("Industry"),
    "location": _("Location"),
}
FIELD_MAX = {"display_name": 100, "headline": 220, "about": 2600, "industry": 100, "location": 100}
PROFILE_COLUMNS = {  # our field → Profile.csv's column
    "display_name": None,
    "headline": "Headline",
    "about": "Summary",
    "industry": "Industry",
    "location": "Geo Location",
}


@dataclass
class Change:
    """One line of the preview: a field, what it is now, what the import would make it."""

    key: str
    label: str
    current: str
    proposed: str

    @property
    def changes(self) -> bool:
        return self.current != self.proposed


def staged(source: Import, section: str) -> list[StagedRow]:
    return list(StagedRow.objects.filter(source=source, section=section).order_by("line"))


def profile_preview(member, source: Import) -> dict:
    """Field by field, what the import would change; positions, education and skills that
    would be added (those already on the profile are left out: merged, not duplicated)."""
    profile = member.profile
    changes = []
    rows = staged(source, Section.PROFILE)
    if rows:
        data = rows[0].data
        for key, column in PROFILE_COLUMNS.items():
            if key == "display_name":
                proposed = " ".join(
                    p for p in (data.get("First Name", ""), data.get("Last Name", "")) if p
                )
                current = member.display_name
            else:
                proposed = data.get(column, "")
                current = getattr(profile, key)
            proposed = proposed[: FIELD_MAX[key]].strip()  # S1's lengths: kept, not refused
            if proposed and proposed != current:
                changes.append(Change(key, str(FIELD_LABELS[key]), current, proposed))
    have_positions = {
        (p.title.lower(), p.company.lower(), p.started_on) for p in member.positions.all()
    }
    positions = [
        r
        for r in staged(source, Section.POSITION)
        if linkedin_date(r.data.get("Started On"))
        and (
            r.data.get("Title", "").lower(),
            r.data.get("Company Name", "").lower(),
            linkedin_date(r.data.get("Started On")),
        )
        not in have_positions
    ]
    have_schools = {(e.school.lower(), (e.degree or "").lower()) for e in member.education.all()}
    education = [
        r
        for r in staged(source, Section.EDUCATION)
        if (r.data.get("School Name", "").lower(), r.data.get("Degree Name", "").lower())
        not in have_schools
    ]
    have_skills = {s.name.lower() for s in member.skills.all()}
    skills = [
        r
        for r in staged(source, Section.SKILL)
        if r.data.get("Name", "").lower() not in have_skills
    ]
    return {
        "changes": changes,
        "positions": positions,
        "education": education,
        "skills": skills,
        "company_follows": staged(source, Section.COMPANY_FOLLOW),
    }
