"""Writes to a member's profile (S1) and settings (S2–S7), one transaction each.

The web pages and the API both call these, so a rule is enforced once. S3's purge of
non-connection followers is network's write: settings reach members through
`membership.services.update_settings`, which runs it in the same transaction.
"""

import io
import secrets
from datetime import date, datetime

from django.conf import settings as conf
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from accounts.models import User
from accounts.services import check_shown_name
from core import clock
from core.errors import Invalid
from core.eventlog import prune_log
from core.images import open_checked
from core.tasks import enqueue_after_commit
from profiles.models import (
    ConnectionsVisibleTo,
    Education,
    FollowersAllowed,
    InvitationsFrom,
    MemberCounts,
    Position,
    PrimaryAction,
    Profile,
    ProfileEvent,
    Skill,
)
from profiles.queries import city_of

PROFILE_FIELDS = ("headline", "location", "industry", "about")
MEMBER_FIELDS = ("display_name",)
CHOICE_SETTINGS = {
    "primary_action": PrimaryAction,
    "followers_allowed": FollowersAllowed,
    "invitations_from": InvitationsFrom,
    "connections_visible_to": ConnectionsVisibleTo,
}
BOOLEAN_SETTINGS = (
    "open_profile",
    "share_profile_updates",
    "share_network_updates",
    "refuse_inmail",
    "discoverable",
)
SETTING_RULES = {
    "primary_action": "S2",
    "followers_allowed": "S3",
    "invitations_from": "S4",
    "connections_visible_to": "S5",
    "open_profile": "S6",
    "share_profile_updates": "S7",
    "share_network_updates": "S7",
    "refuse_inmail": "M3",
    "discoverable": "G3",
}

UNKNOWN_FIELD = _("{name} is not a profile field.")
UNKNOWN_SETTING = _("{name} is not a setting.")
BAD_CHOICE = _("{name} must be one of: {choices}.")
# The interface language is no product rule, so its refusal carries no rule id.
UNKNOWN_LANGUAGE = _("The language must be one of: {choices}.")
BAD_BOOLEAN = _("{name} must be true or false.")
TOO_LONG = _("{label} can be at most {limit} characters.")
NAME_REQUIRED = _("Your name can't be empty.")
AVATAR_BAD_TYPE = _("A profile photo must be a JPEG, PNG, WebP or GIF image.")
AVATAR_TOO_BIG = _("A profile photo can be at most {limit} MB.")
AVATAR_TYPES = {"JPEG", "PNG", "WEBP", "GIF"}
POSITION_ENDS_BEFORE_START = _("A position can't end before it starts.")
EDUCATION_ENDS_BEFORE_START = _("Education can't end before it starts.")
REQUIRED = _("{label} is required.")
SKILL_LIMIT = 100
TOO_MANY_SKILLS = _("A profile can list at most {limit} skills.")
# What a refusal calls a field, in the member's language (a model's verbose_name is English).
FIELD_LABELS = {
    "display_name": _("Name"),
    "headline": _("Headline"),
    "location": _("Location"),
    "industry": _("Industry"),
    "about": _("About"),
    "title": _("Title"),
    "company": _("Company"),
    "description": _("Description"),
    "school": _("School"),
    "degree": _("Degree"),
    "field_of_study": _("Field of study"),
    "start_year": _("From (year)"),
    "end_year": _("To (year)"),
    "started_on": _("From"),
    "ended_on": _("To"),
    "name": _("Skill"),
}


def _label(name: str) -> str:
    return str(FIELD_LABELS.get(name) or name.replace("_", " ").capitalize())


def _reindex(member: User) -> None:
    """Search sits above profiles: its document is rebuilt after commit, by task name."""
    enqueue_after_commit("jobs.search.index_member", member.pk)


def note_page_facts_changed(member_ids) -> None:
    """Log that these members' page facts changed (location, `discoverable`, positions,
    school entries, page links, deletion), in the writing transaction: every process's pages
    index replays the log on its next read (pages/index.py)."""
    now = clock.now()
    ProfileEvent.objects.bulk_create(
        [ProfileEvent(member=int(pk), at=now) for pk in sorted(set(member_ids))]
    )


def prune_profile_events(*, before: datetime) -> int:
    """Old page-fact events go (`linkwell prune_events`); a pages index that had not
    replayed them yet reads its pages afresh."""
    return prune_log(ProfileEvent, before=before)


def _check_length(model, name: str, value: str, rule: str = "S1") -> None:
    field = model._meta.get_field(name)
    if field.max_length and len(value) > field.max_length:
        raise Invalid(
            TOO_LONG.format(label=_label(name), limit=field.max_length),
            rule=rule,
        )


@transaction.atomic
def create_profile(*, member: User) -> Profile:
    """S1: every member has a profile, empty at first, with the settings' defaults."""
    profile, created = Profile.objects.get_or_create(member=member)
    if created:
        _reindex(member)
    return profile


# --- Kept counts (docs/architecture.md, "Kept counts") ------------------------------------

COUNTED = ("followers", "following", "connections", "posts")
BATCH = 500  # ids per statement: SQLite's parameter limit is far above, old builds' 999 too
RECOUNT_TASK = "jobs.counts.recount_members"


def create_counts(*, member: User) -> MemberCounts:
    """A new member's counts, all 0 (sign-up, with the profile)."""
    counts, _ = MemberCounts.objects.get_or_create(member_id=member.pk)  # not cached on member
    return counts


def adjust_counts(changes: dict[int, dict[str, int]]) -> None:
    """Adds each delta to a member's kept count with F() (`last_post_at` is set, not added),
    in the caller's transaction, which
    also changes the rows counted. Rows are taken in member-id order (PostgreSQL locks them
    as it updates), so two writers never hold each other's rows in opposite orders. A member
    without a row is counted from the rows after commit (`RECOUNT_TASK`)."""
    groups: dict[tuple, list[int]] = {}
    for member_id, deltas in changes.items():
        signature = tuple(sorted((f, d) for f, d in deltas.items() if d))
        if signature:
            groups.setdefault(signature, []).append(member_id)
    if not groups:
        return
    ids = sorted(m for members in groups.values() for m in members)
    many = any(len(members) > 1 for members in groups.values())
    if many and connection.vendor == "postgresql":
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            list(MemberCounts.objects.select_for_update().filter(pk__in=batch).order_by("pk"))
    missing: list[int] = []
    for signature, members in sorted(groups.items(), key=lambda group: min(group[1])):
        update = {
            field: _moved(field, delta) if field in COUNTED else delta for field, delta in signature
        }
        members.sort()
        for start in range(0, len(members), BATCH):
            batch = members[start : start + BATCH]
            if MemberCounts.objects.filter(pk__in=batch).update(**update) < len(batch):
                kept = set(MemberCounts.objects.filter(pk__in=batch).values_list("pk", flat=True))
                missing += [m for m in batch if m not in kept]
    if missing:
        enqueue_after_commit(RECOUNT_TASK, sorted(set(missing)))


def _moved(field: str, delta: int):
    return F(field) + delta if delta > 0 else Greatest(F(field) + delta, 0)


def note_last_posts(last: dict[int, object]) -> None:
    """When each member last posted (None: no post left), as feed's writes know it."""
    for member_id, at in sorted(last.items()):
        MemberCounts.objects.filter(pk=member_id).update(last_post_at=at)


def store_counts(rows: list[MemberCounts]) -> None:
    """Counts computed from the rows (`membership.services.recount`), written over the kept
    ones; the caller locked them first (`lock_counts`)."""
    MemberCounts.objects.bulk_create(
        rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["member"],
        update_fields=[*COUNTED, "last_post_at"],
    )


def lock_counts(member_ids: list[int]) -> None:
    """Makes the members' rows exist and, on PostgreSQL, locks them in id order, so a write
    that changes a counted row either commits before the recount reads or waits until after
    it (and then adds its delta to the recounted value): a recount loses no change."""
    MemberCounts.objects.bulk_create(
        [MemberCounts(member_id=m) for m in member_ids], batch_size=BATCH, ignore_conflicts=True
    )
    if connection.vendor == "postgresql":
        list(
            MemberCounts.objects.select_for_update()
            .filter(pk__in=member_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


@transaction.atomic
def update_profile(*, member: User, **fields) -> Profile:
    """S1: name, headline, location, industry, about; unknown names are refused, not ignored."""
    profile = Profile.objects.select_for_update().get(member=member)
    for name in fields:
        if name not in PROFILE_FIELDS + MEMBER_FIELDS:
            raise Invalid(UNKNOWN_FIELD.format(name=name), rule="S1")
    changed_member = []
    if "display_name" in fields:
        value = (fields.pop("display_name") or "").strip()
        if not value:
            raise Invalid(NAME_REQUIRED, rule="U1")
        check_shown_name(value)
        _check_length(User, "display_name", value, rule="U1")
        if value != member.display_name:
            member.display_name = value
            changed_member.append("display_name")
    if changed_member:
        User.objects.filter(pk=member.pk).update(display_name=member.display_name)
    changed = []
    for name, value in fields.items():
        value = (value or "").strip()
        _check_length(Profile, name, value)
        if getattr(profile, name) != value:
            if name == "location":
                changed += _move(profile, value)
            setattr(profile, name, value)
            changed.append(name)
    if changed:
        profile.save(update_fields=[*changed, "updated_at"])
    if "location" in changed:
        note_page_facts_changed([member.pk])
    if changed or changed_member:
        _reindex(member)
    return profile


def _move(profile: Profile, location: str) -> list[str]:
    """A3's "moved to your city": a location changed from one city to another (as folded by
    `city_of`) is a move, kept with its moment; emptied or set for the first time, the last
    move is forgotten (a profile filled in is no move); a respelling keeps it. Returns the
    fields it changed."""
    before, after = city_of(profile.location), city_of(location)
    if before == after:
        return []
    if before and after:
        profile.moved_to, profile.moved_at = after, clock.now()
    else:
        profile.moved_to, profile.moved_at = "", None
    return ["moved_to", "moved_at"]


@transaction.atomic
def update_settings(*, member: User, **settings) -> Profile:
    """S2–S7 as stored; S3's effect on followers is `membership.services.update_settings`'s."""
    profile = Profile.objects.select_for_update().get(member=member)
    changed = []
    for name, value in settings.items():
        if name in CHOICE_SETTINGS:
            choices = CHOICE_SETTINGS[name]
            if value not in choices.values:
                choices_text = ", ".join(choices.values)
                raise Invalid(
                    BAD_CHOICE.format(name=name, choices=choices_text), rule=SETTING_RULES[name]
                )
        elif name == "language":
            value = value or ""
            codes = [code for code, _name in conf.LANGUAGES]
            if value and value not in codes:
                raise Invalid(UNKNOWN_LANGUAGE.format(choices=", ".join(codes)))
        elif name in BOOLEAN_SETTINGS:
            if not isinstance(value, bool):
                raise Invalid(BAD_BOOLEAN.format(name=name), rule=SETTING_RULES[name])
        else:
            raise Invalid(UNKNOWN_SETTING.format(name=name))
        if getattr(profile, name) != value:
            setattr(profile, name, value)
            changed.append(name)
    if changed:
        profile.save(update_fields=[*changed, "updated_at"])
    if "discoverable" in changed:
        note_page_facts_changed([member.pk])
    return profile


def update_profile_and_settings(
    *, member: User, fields: dict, settings: dict, avatar=None
) -> Profile:
    """S1–S7 and the photo together, all or nothing: the photo is checked and resized before
    the transaction (a bad file refuses everything and holds no lock), then every write
    happens in one transaction, so one refused value leaves all of it as it was."""
    encoded = _square_webp(_avatar_image(avatar)) if avatar is not None else None
    with transaction.atomic():
        if fields:
            update_profile(member=member, **fields)
        if settings:
            update_settings(member=member, **settings)
        if encoded is not None:
            _store_avatar(member, encoded)
        return Profile.objects.get(member=member)


# --- Avatar -------------------------------------------------------------------------------


def _avatar_image(upload) -> Image.Image:
    limit = conf.LINKWELL_AVATAR_MAX_BYTES
    return open_checked(
        upload,
        max_bytes=limit,
        types=AVATAR_TYPES,
        rule="S1",
        too_big=AVATAR_TOO_BIG.format(limit=f"{limit / (1024 * 1024):g}"),
        bad_type=AVATAR_BAD_TYPE,
    )


def _square_webp(image: Image.Image) -> bytes:
    """Upright, centre-cropped square, re-encoded: EXIF and anything hidden is dropped."""
    size = conf.LINKWELL_AVATAR_SIZE
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    image = ImageOps.fit(image, (size, size), method=Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=85, method=4)
    return out.getvalue()


def set_avatar(*, member: User, upload) -> Profile:
    """Checked and resized before the transaction so a bad file never holds a lock."""
    return _store_avatar(member, _square_webp(_avatar_image(upload)))


@transaction.atomic
def _store_avatar(member: User, encoded: bytes) -> Profile:
    name = f"{member.pk}-{secrets.token_hex(6)}.webp"
    profile = Profile.objects.select_for_update().get(member=member)
    old = profile.avatar.name if profile.avatar else ""
    profile.avatar.save(name, ContentFile(encoded), save=False)
    profile.save(update_fields=["avatar", "updated_at"])
    if old:
        storage = profile.avatar.storage
        transaction.on_commit(lambda: storage.delete(old))
    return profile


@transaction.atomic
def remove_avatar(*, member: User) -> Profile:
    profile = Profile.objects.select_for_update().get(member=member)
    if profile.avatar:
        old, storage = profile.avatar.name, profile.avatar.storage
        profile.avatar = ""
        profile.save(update_fields=["avatar", "updated_at"])
        transaction.on_commit(lambda: storage.delete(old))
    return profile


@transaction.atomic
def forget_member(*, member: User) -> None:
    """U4: the profile's rows go by cascade with the account; the photo's file is removed
    from storage once the deletion is committed, and the logged event makes every pages
    index drop the member."""
    note_page_facts_changed([member.pk])
    profile = Profile.objects.filter(member=member).first()
    if profile is not None and profile.avatar:
        name, storage = profile.avatar.name, profile.avatar.storage
        transaction.on_commit(lambda: storage.delete(name))


# --- Experience, education, skills --------------------------------------------------------


def _required(label: str, value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid(REQUIRED.format(label=label), rule="S1")
    return value


def _full_clean(obj) -> None:
    try:
        obj.full_clean(exclude=["member"], validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise Invalid(f"{_label(field)}: {messages[0]}", rule="S1") from exc


@transaction.atomic
def add_position(
    *,
    member: User,
    title: str,
    company: str,
    started_on: date,
    ended_on: date | None = None,
    location: str = "",
    description: str = "",
) -> Position:
    """Adding the same position twice (a double click) keeps one."""
    title, company = _required(_label("title"), title), _required(_label("company"), company)
    if ended_on is not None and ended_on < started_on:
        raise Invalid(POSITION_ENDS_BEFORE_START, rule="S1")
    position = Position(
        member=member,
        title=title,
        company=company,
        started_on=started_on,
        ended_on=ended_on,
        location=(location or "").strip(),
        description=(description or "").strip(),
    )
    _full_clean(position)
    existing = Position.objects.filter(
        member=member, title=title, company=company, started_on=started_on, ended_on=ended_on
    ).first()
    if existing is not None:
        return existing
    position.save()
    note_page_facts_changed([member.pk])
    if ended_on is None:  # S7: feed (above profiles) decides whether it is news, by task name
        enqueue_after_commit("jobs.feed.announce_position", member.pk, position.pk)
    _reindex(member)
    return position


@transaction.atomic
def remove_position(*, member: User, position_id: int) -> None:
    if Position.objects.filter(member=member, pk=position_id).delete()[0]:
        note_page_facts_changed([member.pk])
        _reindex(member)


@transaction.atomic
def add_education(
    *,
    member: User,
    school: str,
    degree: str = "",
    field_of_study: str = "",
    start_year: int | None = None,
    end_year: int | None = None,
) -> Education:
    school = _required(_label("school"), school)
    if start_year is not None and end_year is not None and end_year < start_year:
        raise Invalid(EDUCATION_ENDS_BEFORE_START, rule="S1")
    education = Education(
        member=member,
        school=school,
        degree=(degree or "").strip(),
        field_of_study=(field_of_study or "").strip(),
        start_year=start_year,
        end_year=end_year,
    )
    _full_clean(education)
    existing = Education.objects.filter(
        member=member,
        school=school,
        degree=education.degree,
        field_of_study=education.field_of_study,
        start_year=start_year,
        end_year=end_year,
    ).first()
    if existing is not None:
        return existing
    education.save()
    note_page_facts_changed([member.pk])
    _reindex(member)
    return education


@transaction.atomic
def remove_education(*, member: User, education_id: int) -> None:
    if Education.objects.filter(member=member, pk=education_id).delete()[0]:
        note_page_facts_changed([member.pk])
        _reindex(member)


@transaction.atomic
def add_skill(*, member: User, name: str) -> Skill:
    """Skills are unique per member ignoring case; adding one again returns it."""
    name = " ".join(_required(_label("name"), name).split())
    _check_length(Skill, "name", name)
    existing = Skill.objects.filter(member=member, name__iexact=name).first()
    if existing is not None:
        return existing
    if Skill.objects.filter(member=member).count() >= SKILL_LIMIT:
        raise Invalid(TOO_MANY_SKILLS.format(limit=SKILL_LIMIT), rule="S1")
    skill = Skill.objects.create(member=member, name=name)
    _reindex(member)
    return skill


@transaction.atomic
def remove_skill(*, member: User, skill_id: int) -> None:
    if Skill.objects.filter(member=member, pk=skill_id).delete()[0]:
        _reindex(member)
