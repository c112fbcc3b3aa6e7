"""Writes of issue 17: staging an upload, applying what the member confirmed, invitations
they picked (X1), e-mails to join, exports (X2). docs/portability.md.

An upload is refused before anything is written when it is unreadable; a readable one is
staged by a job (`jobs.portability.run_import`) in one transaction, so a failure leaves
nothing half-imported. Profile fields, invitations and follows are applied only through the
owning areas' services, and only when the member asks.
"""

import hashlib
import logging
import os
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from accounts import queries as accounts_queries
from accounts.models import User
from core import clock
from core.errors import Invalid, NotFound, RateLimited, Refused
from core.i18n import moment
from core.tasks import enqueue_after_commit
from network import queries as network_queries
from network import services as network
from network.models import InvitationReason
from notifications import services as notices
from notifications.models import Kind
from pages import queries as pages_queries
from pages import services as pages_services
from pages.models import PageKind
from portability import archive, queries
from portability.models import (
    Export,
    Import,
    ImportKind,
    JobState,
    JoinInvitation,
    LinkedInAddress,
    Section,
    StagedConnection,
    StagedRow,
)
from portability.readers import (
    Unreadable,
    check_size,
    linkedin_date,
    linkedin_slug,
    read_linkedin,
    read_mastodon,
)
from profiles import services as profiles
from profiles.queries import language_of
from relationships import queries as relationships_queries
from relationships import services as relationships

log = logging.getLogger(__name__)

RUN_IMPORT_TASK = "jobs.portability.run_import"
BUILD_EXPORT_TASK = "jobs.portability.build_export"
STAGE_BATCH = 2000
MATCH_BATCH = 5000

UNKNOWN_KIND = _("The import type must be one of: {choices}.")
NO_FILE = _("Choose a file to upload.")
IMPORT_NOT_READY = _("This import is still being read; try again when it is done.")
IMPORT_FAILED = _("The import could not be read and nothing was changed; upload the file again.")
UNKNOWN_FIELDS = _("These are not parts of an import: {names}.")
BAD_LINKEDIN_ADDRESS = _(
    "That is not a LinkedIn profile address; it looks like https://www.linkedin.com/in/your-name/."
)
LINKEDIN_ADDRESS_TAKEN = _("Another member gave that LinkedIn address.")
JOIN_QUOTA = _(
    "You asked {limit} people to join in the last 7 days; you can ask more after {until} UTC."
)
EXPORT_FAILED = _("Your export could not be built; ask for a new one.")
# The invitation's note (N1): in the language of the member who reads it.
CONNECTED_SINCE = _("Connected on LinkedIn since {year}")
CONNECTED_ON_LINKEDIN = _("Connected on LinkedIn")
JOIN_SUBJECT = _("{name} invites you to Linkwell")
JOIN_MAIL = _(
    "{name} is on Linkwell, a professional network, and would like to stay connected with "
    "you there.\n\nJoin: {link}\n\nThis is the only e-mail you will get about it."
)

PROFILE_PARTS = ("display_name", "headline", "about", "industry", "location")
LIST_PARTS = ("positions", "education", "skills", "company_follows")


# --- Uploading --------------------------------------------------------------------------


def start_import(*, member: User, kind: str, upload) -> Import:
    """Refuse an unreadable file before writing anything; else record it and queue the job.
    The same file uploaded again is the same import (a retry changes nothing)."""
    if kind not in ImportKind.values:
        raise Invalid(UNKNOWN_KIND.format(choices=", ".join(ImportKind.values)), rule="X1")
    if upload is None:
        raise Invalid(NO_FILE, rule="X1")
    limit = settings.LINKWELL_IMPORT_MAX_BYTES
    try:
        check_size(getattr(upload, "size", 0) or 0, limit)
        raw = upload.read(limit + 1)
        name = os.path.basename(getattr(upload, "name", "") or "upload.csv")[:200]
        _read(kind, name, raw)  # refuses here, nothing written
    except Unreadable as exc:
        raise Invalid(str(exc.message), rule="X1") from exc
    digest = hashlib.sha256(raw).hexdigest()
    with transaction.atomic():
        existing = (
            Import.objects.select_for_update()
            .filter(member=member, kind=kind, digest=digest)
            .first()
        )
        if existing is not None and existing.state != JobState.FAILED:
            return existing
        source = existing or Import(member=member, kind=kind, digest=digest)
        source.filename, source.state, source.progress, source.error = name, JobState.QUEUED, 0, ""
        source.created_at = clock.now()
        try:
            with transaction.atomic():
                source.save()
        except IntegrityError:  # a concurrent upload of the same file made it first
            return Import.objects.get(member=member, kind=kind, digest=digest)
        path = queries.upload_path(source)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
        enqueue_after_commit(RUN_IMPORT_TASK, source.pk)
    return source


def _read(kind: str, name: str, raw: bytes):
    limit = settings.LINKWELL_IMPORT_MAX_BYTES
    if kind == ImportKind.LINKEDIN:
        return read_linkedin(name, raw, limit=limit)
    return read_mastodon(name, raw, kind=kind, limit=limit)


def run_import(import_id: int) -> str:
    """The job: match the connections batch by batch (progress in the page), then stage
    every row in one transaction. Any failure: nothing staged, the import says failed."""
    source = Import.objects.filter(pk=import_id).select_related("member").first()
    if source is None or source.state in (JobState.DONE, JobState.FAILED):
        return source.state if source else "gone"
    path = queries.upload_path(source)
    _progress(source, state=JobState.RUNNING, progress=1)
    try:
        raw = path.read_bytes()
        parsed = _read(source.kind, source.filename, raw)
        connections = _connections(source, parsed)
        _progress(source, progress=5)
        _match_all(source, connections)  # before the insert: one write per row, no update
        with transaction.atomic():
            StagedRow.objects.filter(source=source).delete()
            StagedConnection.objects.filter(source=source).delete()
            counts = _stage(source, parsed, connections)
        source.refresh_from_db()
        source.counts = counts
        source.state, source.progress, source.finished_at = JobState.DONE, 100, clock.now()
        source.save(update_fields=["counts", "state", "progress", "finished_at"])
    except Exception as exc:  # noqa: BLE001 - any failure: nothing kept, the reason said
        if not isinstance(exc, Unreadable | OSError):
            log.exception("import %s failed", import_id)
        with transaction.atomic():
            StagedRow.objects.filter(source=source).delete()
            StagedConnection.objects.filter(source=source).delete()
            message = exc.message if isinstance(exc, Unreadable) else IMPORT_FAILED
            Import.objects.filter(pk=source.pk).update(
                state=JobState.FAILED, error=str(message), finished_at=clock.now()
            )
    finally:
        path.unlink(missing_ok=True)
    return Import.objects.values_list("state", flat=True).get(pk=source.pk)


def _progress(source: Import, **fields) -> None:
    Import.objects.filter(pk=source.pk).update(**fields)


def _connections(source: Import, parsed) -> list[StagedConnection]:
    if source.kind != ImportKind.LINKEDIN:
        return []
    return [
        StagedConnection(
            source=source,
            line=line,
            first_name=data.get("First Name", "")[:100],
            last_name=data.get("Last Name", "")[:100],
            url=data.get("URL", "")[:300],
            email=data.get("Email Address", "")[:254],
            company=data.get("Company", "")[:150],
            position=data.get("Position", "")[:150],
            connected_on=linkedin_date(data.get("Connected On", "")),
        )
        for line, data in parsed.rows("connection")
    ]


def _stage(source: Import, parsed, connections: list[StagedConnection]) -> dict:
    if source.kind != ImportKind.LINKEDIN:
        rows = [
            StagedRow(source=source, section=Section.ACCOUNT, line=n, data=d) for n, d in parsed
        ]
        StagedRow.objects.bulk_create(rows, batch_size=STAGE_BATCH)
        return {"accounts": len(rows)}
    StagedConnection.objects.bulk_create(connections, batch_size=STAGE_BATCH)
    counts = {"connections": len(connections)}
    others = []
    sections = ("profile", "position", "education", "skill", "invitation", "company_follow")
    for section in (*sections, "member_follow"):
        rows = parsed.rows(section)
        counts[section] = len(rows)
        others += [StagedRow(source=source, section=section, line=n, data=d) for n, d in rows]
    StagedRow.objects.bulk_create(others, batch_size=STAGE_BATCH)
    counts["files"] = parsed.files
    return counts


def _match_all(source: Import, connections: list[StagedConnection]) -> None:
    """Each row's match, batch by batch (the page's progress bar), on the rows not yet
    written: matching is a read, so a failure here has written nothing. Measured at 100,000
    members: one bulk insert instead of an insert and a CASE update of every matched row."""
    total = len(connections)
    for start in range(0, total, MATCH_BATCH):
        rows = connections[start : start + MATCH_BATCH]
        found = queries.match_connections(source.member, rows)
        for row in rows:
            row.matched_id, row.strength = found.get(row.line, (None, ""))
        _progress(source, progress=5 + int(90 * (start + len(rows)) / total))


def _ready(member: User, import_id) -> Import:
    source = queries.import_of(member, import_id)
    if source.state == JobState.FAILED:
        raise Refused(IMPORT_FAILED, rule="X1")
    if source.state != JobState.DONE:
        raise Refused(IMPORT_NOT_READY, rule="X1")
    return source


# --- Applying what the member kept --------------------------------------------------------


@transaction.atomic
def apply_profile(*, member: User, import_id, keep: list[str]) -> dict:
    """The preview's kept fields (S1), all or nothing; positions, education and skills are
    merged with what the profile holds, so applying twice adds nothing more."""
    source = _ready(member, import_id)
    unknown = sorted(set(keep) - set(PROFILE_PARTS) - set(LIST_PARTS))
    if unknown:
        raise Invalid(UNKNOWN_FIELDS.format(names=", ".join(unknown)), rule="S1")
    member = User.objects.select_related("profile").get(pk=member.pk)
    preview = queries.profile_preview(member, source)
    fields = {c.key: c.proposed for c in preview["changes"] if c.key in keep}
    if fields:
        profiles.update_profile(member=member, **fields)
    added = {"fields": sorted(fields), "positions": 0, "education": 0, "skills": 0}
    if "positions" in keep:
        for row in preview["positions"]:
            started = linkedin_date(row.data.get("Started On"))
            ended = linkedin_date(row.data.get("Finished On"))
            if ended is not None and ended < started:
                ended = None
            profiles.add_position(
                member=member,
                title=row.data.get("Title", "")[:100],
                company=row.data.get("Company Name", "")[:100],
                started_on=started,
                ended_on=ended,
                location=row.data.get("Location", "")[:100],
                description=row.data.get("Description", "")[:2000],
            )
            added["positions"] += 1
    if "education" in keep:
        for row in preview["education"]:
            start = linkedin_date(row.data.get("Start Date"))
            end = linkedin_date(row.data.get("End Date"))
            start_year, end_year = (start.year if start else None), (end.year if end else None)
            if start_year and end_year and end_year < start_year:
                end_year = None
            profiles.add_education(
                member=member,
                school=row.data.get("School Name", "")[:150],
                degree=row.data.get("Degree Name", "")[:100],
                start_year=start_year,
                end_year=end_year,
            )
            added["education"] += 1
    if "skills" in keep:
        room = profiles.SKILL_LIMIT - member.skills.count()
        for row in preview["skills"][: max(room, 0)]:
            profiles.add_skill(member=member, name=row.data.get("Name", "")[:80])
            added["skills"] += 1
    if "company_follows" in keep:
        added["company_follows"] = _follow_companies(member, preview["company_follows"])
    Import.objects.filter(pk=source.pk).update(profile_applied_at=clock.now())
    return added


def _follow_companies(member: User, rows) -> int:
    """F3: LinkedIn's company follows become follows of the company pages of those names
    (folded as pages fold them); a name without a page is left, and following again changes
    nothing. Returns the pages the member follows now that they didn't before."""
    keys = [pages_services.fold(row.data.get("Organization", "")) for row in rows]
    found = pages_queries.pages_by_name_key([k for k in keys if k], kind=PageKind.COMPANY)
    already = set(pages_queries.followed_page_ids(member))
    new = [page for page in found.values() if page.pk not in already]
    for page in new:
        pages_services.follow_page(member=member, page=page)
    return len(new)


def apply_mastodon(*, member: User, import_id) -> dict:
    """Mastodon's follows and lists become follows, its blocks blocks, for the local accounts
    the file names; other servers' accounts are counted, not followed (no federation). A
    list's members also go into the member's tag of that name (A1: a tag is a Mastodon
    list), made once, so importing the file again adds no tag and no member twice."""
    source = _ready(member, import_id)
    result = {"done": 0, "not_found": 0, "refused": 0}
    tags = {}
    if source.kind == ImportKind.MASTODON_LISTS:
        for tag in reversed(relationships_queries.tags_of(member)):  # the oldest of a title
            tags[tag.title] = tag
    for row in queries.staged(source, Section.ACCOUNT):
        handle = _local_handle(row.data.get("acct", ""))
        target = None
        if handle:
            target = accounts_queries.with_handle(handle).filter(is_active=True).first()
        if target is None or target.pk == member.pk:
            result["not_found"] += 1
            continue
        try:
            if source.kind == ImportKind.MASTODON_BLOCKS:
                network.block(blocker=member, blocked=target)
            else:
                network_queries.visible_member(member, member=target)
                network.follow(follower=member, followee=target)
                title = row.data.get("list", "").strip()[: relationships.TAG_TITLE_MAX].strip()
                if source.kind == ImportKind.MASTODON_LISTS and title:
                    if title not in tags:
                        tags[title] = relationships.create_tag(owner=member, title=title)
                    relationships.tag_members(
                        owner=member, tag_id=tags[title].pk, member_ids=[target.pk]
                    )
            result["done"] += 1
        except Refused:
            result["refused"] += 1
    Import.objects.filter(pk=source.pk).update(follows_applied_at=clock.now())
    return result


def local_domain() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].lower()


def _local_handle(acct: str) -> str:
    local, _, domain = acct.strip().lstrip("@").partition("@")
    if domain and domain.lower() != local_domain():
        return ""
    return local


# --- Invitations the member picked (X1, N5, N6) -------------------------------------------


def invite_matches(*, member: User, import_id, account_ids) -> dict:
    """X1: an invitation to each picked member this import matched, and to no one else,
    each through network's own invite (N1-N7, N10 enforced there). The N5 limit stops the
    run with its sentence; what was sent stays sent, and asking again sends nothing twice."""
    source = _ready(member, import_id)
    wanted = {queries.as_id(a) for a in account_ids} - {0}
    rows = list(
        StagedConnection.objects.filter(source=source, matched_id__in=wanted)
        .select_related("matched__profile")
        .order_by("line")
    )
    result = {"invited": [], "refused": [], "stopped": None}
    for row in rows:
        recipient = row.matched
        if row.invited_at is not None:
            result["invited"].append(recipient.pk)
            continue
        try:
            network_queries.visible_member(member, member=recipient)
            with translation.override(language_of(recipient)):
                note = (
                    gettext_now(CONNECTED_SINCE).format(year=row.connected_on.year)
                    if row.connected_on
                    else gettext_now(CONNECTED_ON_LINKEDIN)
                )
            network.invite(
                sender=member,
                recipient=recipient,
                note=note,
                reason=InvitationReason.OTHER,
                email=row.email if row.strength == "email" else "",
            )
        except RateLimited as exc:
            result["stopped"] = {"error": exc.message, "rule": exc.rule, "until": exc.until}
            break
        except (Refused, NotFound) as exc:
            result["refused"].append(
                {"account_id": recipient.pk, "error": str(exc.message), "rule": exc.rule}
            )
            continue
        StagedConnection.objects.filter(pk=row.pk, invited_at__isnull=True).update(
            invited_at=clock.now()
        )
        result["invited"].append(recipient.pk)
    return result


def _address_digest(address: str) -> str:
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


def invite_to_join(*, member: User, import_id, lines, join_link: str) -> dict:
    """One e-mail to each picked unmatched contact with an address; never twice to the same
    address, whoever asks; at most LINKWELL_JOIN_INVITES_PER_WEEK per member in 7 days. An
    address that belongs to a member is skipped as silently as one already asked (no leak)."""
    source = _ready(member, import_id)
    wanted = {queries.as_id(n) for n in lines} - {0}
    rows = [r for r in queries.emailable(source, limit=100_000) if r.line in wanted]
    limit = settings.LINKWELL_JOIN_INVITES_PER_WEEK
    sent, skipped, stopped = 0, 0, None
    for row in rows:
        now = clock.now()
        recent = list(
            JoinInvitation.objects.filter(sender=member, sent_at__gt=now - timedelta(days=7))
            .order_by("-sent_at")
            .values_list("sent_at", flat=True)[:limit]
        )
        if len(recent) >= limit:
            until = recent[-1] + timedelta(days=7)
            stopped = {
                "error": str(JOIN_QUOTA.format(limit=limit, until=moment(until))),
                "rule": "X1",
                "until": until,
            }
            break
        with transaction.atomic():
            StagedConnection.objects.filter(pk=row.pk).update(emailed_at=now)
            if accounts_queries.with_email(row.email).exists():
                skipped += 1
                continue
            try:
                with transaction.atomic():
                    JoinInvitation.objects.create(
                        sender=member, address_digest=_address_digest(row.email), sent_at=now
                    )
            except IntegrityError:
                skipped += 1
                continue
            transaction.on_commit(
                lambda address=row.email: _send_join_mail(member, address, join_link)
            )
            sent += 1
    return {"sent": sent, "skipped": skipped, "stopped": stopped}


def _send_join_mail(member: User, address: str, join_link: str) -> None:
    send_mail(
        subject=str(JOIN_SUBJECT.format(name=member.name)),
        message=str(JOIN_MAIL.format(name=member.name, link=join_link)),
        from_email=None,
        recipient_list=[address],
        fail_silently=True,
    )


@transaction.atomic
def set_linkedin_address(*, member: User, address: str) -> str:
    """The LinkedIn profile address others' imports may find the member by ("" removes it)."""
    if not (address or "").strip():
        LinkedInAddress.objects.filter(member=member).delete()
        return ""
    slug = linkedin_slug(address)
    if not slug or "linkedin.com/in/" not in address.lower():
        raise Invalid(BAD_LINKEDIN_ADDRESS, rule="X1")
    if LinkedInAddress.objects.filter(slug=slug).exclude(member=member).exists():
        raise Invalid(LINKEDIN_ADDRESS_TAKEN, rule="X1")
    LinkedInAddress.objects.update_or_create(member=member, defaults={"slug": slug})
    return slug


# --- Exports (X2) -----------------------------------------------------------------------


def request_export(*, member: User) -> Export:
    """A new export, unless one is still being built (a second click is the same one)."""
    with transaction.atomic():
        busy = (
            Export.objects.select_for_update()
            .filter(member=member, state__in=(JobState.QUEUED, JobState.RUNNING))
            .first()
        )
        if busy is not None:
            return busy
        export = Export.objects.create(member=member, created_at=clock.now())
        enqueue_after_commit(BUILD_EXPORT_TASK, export.pk)
    return export


def build_export(export_id: int) -> str:
    """The job: every area's part written into a ZIP beside its final name, then renamed, so
    a download never sees half a file; the link lapses after LINKWELL_EXPORT_DAYS."""
    export = Export.objects.filter(pk=export_id).select_related("member").first()
    if export is None or export.state in (JobState.DONE, JobState.FAILED):
        return export.state if export else "gone"
    Export.objects.filter(pk=export.pk).update(state=JobState.RUNNING, progress=5)
    purge_lapsed_exports()
    path = queries.export_path(export)
    partial = path.with_suffix(".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        archive.write_export(export.member, partial, progress=lambda p: _export_progress(export, p))
        os.replace(partial, path)
        _finish_export(export, size=path.stat().st_size)
    except Exception:  # noqa: BLE001 - any failure: no file, the reason said
        log.exception("export %s failed", export_id)
        partial.unlink(missing_ok=True)
        Export.objects.filter(pk=export.pk).update(
            state=JobState.FAILED, error=str(EXPORT_FAILED), finished_at=clock.now()
        )
    return Export.objects.values_list("state", flat=True).get(pk=export.pk)


@transaction.atomic
def _finish_export(export: Export, *, size: int) -> None:
    """Done and its owner notified in one transaction (P5, X2): a job killed in between
    leaves neither, and a rerun of a finished export finds it done and notifies nobody. Only
    the run that moves it to done notifies, so there is one notice per export."""
    now = clock.now()
    moved = Export.objects.filter(
        pk=export.pk, state__in=(JobState.QUEUED, JobState.RUNNING)
    ).update(
        state=JobState.DONE,
        progress=100,
        finished_at=now,
        expires_at=now + timedelta(days=settings.LINKWELL_EXPORT_DAYS),
        size=size,
    )
    if moved:
        notices.notify(
            recipient_id=export.member_id,
            actor_id=export.member_id,
            kind=Kind.EXPORT_READY,
            subject_id=export.pk,
        )


def _export_progress(export: Export, percent: int) -> None:
    Export.objects.filter(pk=export.pk).update(progress=min(max(percent, 5), 99))


def purge_lapsed_exports() -> int:
    """Files of exports past their 7 days, and of exports whose row went with a deleted
    member (U4 cascades the rows; membership sits below us and can't name our files)."""
    folder = settings.LINKWELL_PORTABILITY_DIR / "exports"
    if not folder.is_dir():
        return 0
    keep = set(
        Export.objects.filter(state=JobState.DONE, expires_at__gt=clock.now()).values_list(
            "pk", flat=True
        )
    )
    removed = 0
    for path in folder.glob("*.zip"):
        if not path.stem.isdigit() or int(path.stem) not in keep:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
