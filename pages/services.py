"""Writes of pages (G1–G3, F3), one transaction each, idempotent.

A page's admins change with the page row locked, so two admins removing each other at once
can't leave a claimed page with none (G1). Follows keep `Page.followers_count` with F() in
the transaction that writes the follow. Links from positions and education to pages are
written here; profiles never knows of them (docs/pages.md, "Links").
"""

import io
import re
import unicodedata
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from accounts.models import User
from core import clock
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.images import open_checked
from pages.models import (
    ClaimStatus,
    EducationPage,
    Page,
    PageAdmin,
    PageClaim,
    PageFollow,
    PageKind,
    PositionPage,
    SizeBand,
)
from profiles import services as profiles
from profiles.models import Education, Position

PAGE_NOT_FOUND = _("This page doesn't exist.")
ADMINS_ONLY = _("Only the page's admins can do this.")
LAST_ADMIN = _("A page needs at least one admin: add another admin before this one leaves.")
SLUG_TAKEN = _("This page address is taken. Choose another one.")
SLUG_INVALID = _("A page address uses only letters, digits and hyphens.")
NAME_REQUIRED = _("A page needs a name.")
KIND_INVALID = _("A page is a company or a school.")
SIZE_INVALID = _("Choose one of the company sizes offered.")
WEBSITE_INVALID = _("The website must be an address starting with http:// or https://.")
TOO_LONG = _("%(field)s can be at most %(limit)d characters long.")
LOGO_INVALID = _("The logo must be a PNG, JPEG, GIF or WebP image.")
LOGO_TOO_BIG = _("The logo can be at most %(limit)d megabytes.")
ALREADY_CLAIMED = _("This page already has admins; ask one of them to add you.")
NOT_A_MEMBER = _("This member doesn't exist.")

EDITABLE = (
    "name",
    "tagline",
    "about",
    "website",
    "industry",
    "size_band",
    "headquarters",
    "locations",
)
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
IMAGE_MAX_BYTES = 5 * 1024 * 1024
LOGO_SIZE = 200
COVER_WIDTH = 1200


def fold(name: str) -> str:
    """The matching key of a name: accents dropped, case folded, spaces collapsed, so
    "Hazelmark  GmbH" and "hazelmark gmbh" name one page."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())[:150]


def _page_for_update(page) -> Page:
    pk = getattr(page, "pk", page)
    found = Page.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound(PAGE_NOT_FOUND, rule="G1")
    return found


def require_admin(page: Page, member: User) -> None:
    """G1: Forbidden unless `member` is one of the page's admins."""
    if not PageAdmin.objects.filter(page=page, member_id=member.pk).exists():
        raise Forbidden(ADMINS_ONLY, rule="G1")


def _clean_fields(fields: dict) -> dict:
    cleaned = {}
    for name, value in fields.items():
        if name not in EDITABLE:
            continue
        value = str(value if value is not None else "").strip()
        limit = Page._meta.get_field(name).max_length
        if limit and len(value) > limit:
            label = str(Page._meta.get_field(name).verbose_name).capitalize()
            raise Invalid(TOO_LONG % {"field": label, "limit": limit}, rule="G1")
        cleaned[name] = value
    if "name" in cleaned and not cleaned["name"]:
        raise Invalid(NAME_REQUIRED, rule="G1")
    if cleaned.get("website"):
        try:
            URLValidator(schemes=["http", "https"])(cleaned["website"])
        except ValidationError as exc:
            raise Invalid(WEBSITE_INVALID, rule="G1") from exc
    if cleaned.get("size_band", "") not in SizeBand.values:
        raise Invalid(SIZE_INVALID, rule="G1")
    return cleaned


def _free_slug(name: str) -> str:
    base = slugify(name)[:90].strip("-") or "page"
    slug, n = base, 1
    while Page.objects.filter(slug__iexact=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_page(*, by: User, kind: str, name: str, slug: str = "", **fields) -> Page:
    """G1: the creator is the first admin and follows the page. Creating the same page
    again (a double click: same creator, same address) returns the first one."""
    if kind not in PageKind.values:
        raise Invalid(KIND_INVALID, rule="G1")
    cleaned = _clean_fields({"name": name, **fields})
    slug = (slug or "").strip().lower() or _free_slug(cleaned["name"])
    if not SLUG_PATTERN.match(slug) or len(slug) > 100:
        raise Invalid(SLUG_INVALID, rule="G1")
    existing = Page.objects.filter(slug__iexact=slug).first()
    if existing is not None:
        if existing.kind == kind and PageAdmin.objects.filter(page=existing, member=by).exists():
            return existing
        raise Conflict(SLUG_TAKEN, rule="G1")
    now = clock.now()
    page = Page(kind=kind, slug=slug, name_key=fold(cleaned["name"]), created_at=now, **cleaned)
    try:
        with transaction.atomic():
            page.save()
    except IntegrityError as exc:
        raise Conflict(SLUG_TAKEN, rule="G1") from exc
    PageAdmin.objects.create(page=page, member=by, created_at=now)
    _follow(page, by)
    return page


@transaction.atomic
def update_page(*, by: User, page, **fields) -> Page:
    """G1: only admins edit the page."""
    page = _page_for_update(page)
    require_admin(page, by)
    cleaned = _clean_fields(fields)
    changed = [name for name, value in cleaned.items() if getattr(page, name) != value]
    for name in changed:
        setattr(page, name, cleaned[name])
    if "name" in changed:
        page.name_key = fold(page.name)
        changed.append("name_key")
    if changed:
        page.save(update_fields=changed)
    return page


def _image(upload) -> Image.Image:
    image = open_checked(
        upload,
        max_bytes=IMAGE_MAX_BYTES,
        types=("PNG", "JPEG", "GIF", "WEBP"),
        rule="G1",
        too_big=LOGO_TOO_BIG % {"limit": IMAGE_MAX_BYTES // (1024 * 1024)},
        bad_type=LOGO_INVALID,
    )
    return ImageOps.exif_transpose(image).convert("RGB")


def _webp(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=85)
    return out.getvalue()


def encode_logo(upload) -> bytes:
    """A square logo, checked by Pillow and re-encoded (nothing of the upload is kept)."""
    image = ImageOps.fit(_image(upload), (LOGO_SIZE, LOGO_SIZE))
    return _webp(image)


def encode_cover(upload) -> bytes:
    image = _image(upload)
    if image.width > COVER_WIDTH:
        image = image.resize((COVER_WIDTH, max(1, image.height * COVER_WIDTH // image.width)))
    return _webp(image)


def set_images(*, by: User, page, logo=None, cover=None) -> Page:
    """The images are checked and encoded before the transaction (a bad file holds no lock)."""
    logo_bytes = encode_logo(logo) if logo is not None else None
    cover_bytes = encode_cover(cover) if cover is not None else None
    with transaction.atomic():
        page = _page_for_update(page)
        require_admin(page, by)
        return store_images(page, logo=logo_bytes, cover=cover_bytes)


def store_images(page: Page, *, logo: bytes | None = None, cover: bytes | None = None) -> Page:
    """Write already-encoded images (also the demo seed's drawn logos)."""
    if logo is not None:
        page.logo.save(f"{page.slug}.webp", ContentFile(logo), save=False)
    if cover is not None:
        page.cover.save(f"{page.slug}.webp", ContentFile(cover), save=False)
    page.save(update_fields=["logo", "cover"])
    return page


# --- Admins (G1) ---------------------------------------------------------------------------


@transaction.atomic
def add_admin(*, by: User, page, member: User) -> PageAdmin:
    page = _page_for_update(page)
    require_admin(page, by)
    if not member.is_active:
        raise NotFound(NOT_A_MEMBER, rule="G1")
    row, _created = PageAdmin.objects.get_or_create(
        page=page, member=member, defaults={"created_at": clock.now()}
    )
    return row


@transaction.atomic
def remove_admin(*, by: User, page, member: User) -> None:
    """G1: an admin removes another admin or leaves; the last admin can't. Removing someone
    who is no longer an admin changes nothing (a retry)."""
    page = _page_for_update(page)
    require_admin(page, by)
    admins = set(PageAdmin.objects.filter(page=page).values_list("member_id", flat=True))
    if member.pk not in admins:
        return
    if admins == {member.pk}:
        raise Conflict(LAST_ADMIN, rule="G1")
    PageAdmin.objects.filter(page=page, member_id=member.pk).delete()


# --- Following (F3, G2) --------------------------------------------------------------------


def _follow(page: Page, member: User) -> bool:
    try:
        with transaction.atomic():
            PageFollow.objects.create(page=page, member=member, created_at=clock.now())
    except IntegrityError:
        return False
    Page.objects.filter(pk=page.pk).update(followers_count=F("followers_count") + 1)
    return True


@transaction.atomic
def follow_page(*, member: User, page) -> Page:
    """F3, G2: no approval; following again changes nothing."""
    page = _page_for_update(page)
    _follow(page, member)
    page.refresh_from_db(fields=["followers_count"])
    return page


@transaction.atomic
def unfollow_page(*, member: User, page) -> Page:
    page = _page_for_update(page)
    if PageFollow.objects.filter(page=page, member=member).delete()[0]:
        Page.objects.filter(pk=page.pk).update(followers_count=F("followers_count") - 1)
        page.refresh_from_db(fields=["followers_count"])
    return page


def note_page_post(page_id: int, created_at, delta: int = 1) -> None:
    """feed.services keeps a page's post count in the transaction that writes the post."""
    update = {"posts_count": Greatest(F("posts_count") + delta, 0)}
    if delta > 0:
        update["last_post_at"] = created_at
    Page.objects.filter(pk=page_id).update(**update)


# --- Links from positions and education (G3) -----------------------------------------------


def _stub(kind: str, name: str) -> Page:
    """The page a name stands for: a claimed page of that name first, else its stub (made
    once: the partial unique index settles two members naming it at the same moment)."""
    key = fold(name)
    found = Page.objects.filter(kind=kind, name_key=key).order_by("-claimed", "pk").first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Page.objects.create(
                kind=kind,
                name=" ".join(name.split())[:150],
                name_key=key,
                slug=_free_slug(name),
                claimed=False,
                created_at=clock.now(),
            )
    except IntegrityError:
        return Page.objects.get(kind=kind, name_key=key, claimed=False)


def _chosen(kind: str, page_id) -> Page | None:
    if page_id in (None, ""):
        return None
    found = Page.objects.filter(pk=page_id, kind=kind).first()
    if found is None:
        raise NotFound(PAGE_NOT_FOUND, rule="G3")
    return found


@transaction.atomic
def link_position(*, position: Position, page_id=None) -> PositionPage | None:
    """The position's page: the one chosen while editing, else the page its company names
    (a stub when nobody created it). A blank company links nowhere."""
    page = _chosen(PageKind.COMPANY, page_id)
    if page is None:
        if not fold(position.company):
            return None
        page = _stub(PageKind.COMPANY, position.company)
    row, _created = PositionPage.objects.update_or_create(
        position_id=position.pk, defaults={"page": page, "member_id": position.member_id}
    )
    profiles.note_page_facts_changed([position.member_id])
    return row


@transaction.atomic
def link_education(*, education: Education, page_id=None) -> EducationPage | None:
    page = _chosen(PageKind.SCHOOL, page_id)
    if page is None:
        if not fold(education.school):
            return None
        page = _stub(PageKind.SCHOOL, education.school)
    row, _created = EducationPage.objects.update_or_create(
        education_id=education.pk, defaults={"page": page, "member_id": education.member_id}
    )
    profiles.note_page_facts_changed([education.member_id])
    return row


def link_unlinked(*, batch: int = 2000) -> int:
    """Free text matched to a page later (`linkwell link_pages`): every position and school
    entry without a link gets the page its name stands for. Returns the links made."""
    made = 0
    for model, linked, link in (
        (Position, PositionPage.objects.values("position_id"), "position"),
        (Education, EducationPage.objects.values("education_id"), "education"),
    ):
        after = 0
        while True:
            rows = list(
                model.objects.filter(pk__gt=after).exclude(pk__in=linked).order_by("pk")[:batch]
            )
            if not rows:
                break
            with transaction.atomic():
                for row in rows:
                    if link == "position":
                        made += link_position(position=row) is not None
                    else:
                        made += link_education(education=row) is not None
            after = rows[-1].pk
    return made


# --- Claims ----------------------------------------------------------------------------------


def _domain(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def email_matches(member: User, page: Page) -> bool:
    """A confirmed address at the page's website domain (or a subdomain of it)."""
    domain = _domain(page.website)
    if not domain or not member.email_confirmed:
        return False
    at = member.email.rpartition("@")[2].lower()
    return at == domain or at.endswith("." + domain)


@transaction.atomic
def claim_page(*, by: User, page, note: str = "") -> PageClaim:
    """A page without admins (a stub) is claimed at once by a confirmed address at its
    website's domain; any other claim waits for a site administrator. Claiming again while a
    claim waits returns that claim."""
    page = _page_for_update(page)
    if PageAdmin.objects.filter(page=page).exists():
        raise Conflict(ALREADY_CLAIMED, rule="G1")
    waiting = PageClaim.objects.filter(page=page, member=by, status=ClaimStatus.PENDING).first()
    if waiting is not None:
        return waiting
    claim = PageClaim.objects.create(
        page=page, member=by, note=(note or "").strip()[:500], created_at=clock.now()
    )
    if email_matches(by, page):
        _grant(claim)
    return claim


def _grant(claim: PageClaim) -> None:
    now = clock.now()
    claim.status, claim.decided_at = ClaimStatus.APPROVED, now
    claim.save(update_fields=["status", "decided_at"])
    page = claim.page
    if not page.claimed:
        # The stub becomes a real page; a later position naming it links here, not to a stub.
        page.claimed = True
        page.save(update_fields=["claimed"])
    PageAdmin.objects.get_or_create(page=page, member=claim.member, defaults={"created_at": now})
    _follow(page, claim.member)
    PageClaim.objects.filter(page=page, status=ClaimStatus.PENDING).exclude(pk=claim.pk).update(
        status=ClaimStatus.REFUSED, decided_at=now
    )


@transaction.atomic
def decide_claim(*, claim_id: int, approve: bool) -> PageClaim:
    """The site administrators' moderation queue (Django admin): approve or refuse."""
    claim = PageClaim.objects.select_for_update().select_related("page", "member").get(pk=claim_id)
    if claim.status != ClaimStatus.PENDING:
        return claim
    _page_for_update(claim.page)
    if approve and not PageAdmin.objects.filter(page=claim.page).exists():
        _grant(claim)
    else:
        claim.status, claim.decided_at = ClaimStatus.REFUSED, clock.now()
        claim.save(update_fields=["status", "decided_at"])
    return claim


@transaction.atomic
def forget_member(*, member: User) -> None:
    """U4's part for pages: the member's follows leave the kept counts before the cascade."""
    for page_id in PageFollow.objects.filter(member=member).values_list("page_id", flat=True):
        Page.objects.filter(pk=page_id).update(followers_count=F("followers_count") - 1)
    PageFollow.objects.filter(member=member).delete()
