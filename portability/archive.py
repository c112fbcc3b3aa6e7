"""A member's export (X2): each area contributes its part through one function here, which
reads only through that area's queries and only what is the member's own. The ZIP holds
LinkedIn's CSV layout (so tools made for LinkedIn's export read it), Mastodon's CSVs, a
vCard of the connections, `linkwell.json` (everything, machine-readable) and the member's
own images. Never in it: another member's notes or tags, anyone's connection list but the
member's own (S5), another member's e-mail address (none is visible to a member here).
"""

import csv
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings

from accounts.models import User
from feed import queries as feed
from messaging import queries as messaging
from network import queries as network
from portability import formats
from portability.readers import linkedin_day, linkedin_month
from relationships import queries as relationships

CONNECTIONS_NOTES = (
    "Notes:\n"
    "\"Linkwell shows no connection's e-mail address to another member, so the Email "
    'Address column is empty."\n\n'
)


def site_domain() -> str:
    """This site's host, the domain of its accounts' addresses in Mastodon's CSVs."""
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]


@dataclass
class Part:
    """One area's share of the export: CSV files (name → header + rows or raw text), a key
    of linkwell.json, and files to copy (archive name → storage path)."""

    files: dict[str, str] = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    images: dict[str, str] = field(default_factory=dict)


def table(header: list[str], rows, preamble: str = "") -> str:
    out = io.StringIO()
    out.write(preamble)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def profile_url(member: User) -> str:
    return f"{settings.SITE_URL}/in/{member.username}/"


def _iso(value) -> str | None:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


# --- Each area's part ---------------------------------------------------------------------


def profile_part(member: User) -> Part:
    """profiles (S1): the member's own profile, positions, education, skills, photo; their
    own address (Email Addresses.csv, as LinkedIn names it)."""
    view = network.visible_member(member, member=member)
    profile = member.profile
    first, _, last = member.name.partition(" ")
    positions, education, skills = view.positions, view.education, view.skills
    part = Part()
    part.files["Profile.csv"] = table(
        [
            "First Name",
            "Last Name",
            "Maiden Name",
            "Address",
            "Birth Date",
            "Headline",
            "Summary",
            "Industry",
            "Zip Code",
            "Geo Location",
            "Twitter Handles",
            "Websites",
            "Instant Messengers",
        ],
        [
            [
                first,
                last,
                "",
                "",
                "",
                profile.headline,
                profile.about,
                profile.industry,
                "",
                profile.location,
                "",
                profile_url(member),
                "",
            ]
        ],
    )
    part.files["Email Addresses.csv"] = table(
        ["Email Address", "Confirmed", "Primary", "Updated On"],
        [[member.email, "Yes" if member.email_confirmed else "No", "Yes", ""]],
    )
    part.files["Positions.csv"] = table(
        ["Company Name", "Title", "Description", "Location", "Started On", "Finished On"],
        [
            [
                p.company,
                p.title,
                p.description,
                p.location,
                linkedin_month(p.started_on),
                linkedin_month(p.ended_on),
            ]
            for p in positions
        ],
    )
    part.files["Education.csv"] = table(
        ["School Name", "Start Date", "End Date", "Notes", "Degree Name", "Activities"],
        [
            [e.school, e.start_year or "", e.end_year or "", e.field_of_study, e.degree, ""]
            for e in education
        ],
    )
    part.files["Skills.csv"] = table(["Name"], [[s.name] for s in skills])
    part.data["profile"] = {
        "handle": member.username,
        "name": member.name,
        "email": member.email,
        "headline": profile.headline,
        "about": profile.about,
        "industry": profile.industry,
        "location": profile.location,
        "url": profile_url(member),
        "settings": {
            k: getattr(profile, k)
            for k in (
                "primary_action",
                "followers_allowed",
                "invitations_from",
                "connections_visible_to",
                "open_profile",
                "share_profile_updates",
                "share_network_updates",
                "refuse_inmail",
                "language",
            )
        },
        "positions": [
            {
                "title": p.title,
                "company": p.company,
                "location": p.location,
                "description": p.description,
                "started_on": _iso(p.started_on),
                "ended_on": _iso(p.ended_on),
            }
            for p in positions
        ],
        "education": [
            {
                "school": e.school,
                "degree": e.degree,
                "field_of_study": e.field_of_study,
                "start_year": e.start_year,
                "end_year": e.end_year,
            }
            for e in education
        ],
        "skills": [s.name for s in skills],
    }
    if profile.avatar:
        suffix = profile.avatar.name.rsplit(".", 1)[-1]
        part.images[f"images/avatar.{suffix}"] = profile.avatar.path
    return part


def network_part(member: User) -> Part:
    """network (N1-N10, F1, B1): the member's own connections as each shows themselves to
    connections (visible_members), their invitations, follows and blocks; the vCard and
    Mastodon's CSVs. No address of another member: none is visible to members."""
    ties = network.own_connections(member)
    since = dict(ties)
    views = network.visible_members(member, [pk for pk, _ in ties])
    people = []
    for view in views:
        first, _, last = view.member.name.partition(" ")
        current = view.position
        people.append(
            {
                "view": view,
                "first": first,
                "last": last,
                "url": profile_url(view.member),
                "company": current.company if current else "",
                "title": current.title if current else "",
                "since": since.get(view.member.pk),
            }
        )
    part = Part()
    part.files["Connections.csv"] = table(
        ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"],
        [
            [
                p["first"],
                p["last"],
                p["url"],
                "",
                p["company"],
                p["title"],
                linkedin_day(p["since"].date() if p["since"] else None),
            ]
            for p in people
        ],
        preamble=CONNECTIONS_NOTES,
    )
    sent_or_received = network.own_invitations(member)
    others = {i.sender_id for i in sent_or_received} | {i.recipient_id for i in sent_or_received}
    visible = {v.member.pk: v.member for v in network.visible_members(member, sorted(others))}
    invitations = []
    for invitation in sent_or_received:
        outgoing = invitation.sender_id == member.pk
        other = visible.get(invitation.recipient_id if outgoing else invitation.sender_id)
        if other is None:
            continue  # B1: blocked either way, or gone
        invitations.append(
            {
                "from": member.name if outgoing else other.name,
                "to": other.name if outgoing else member.name,
                "sent_at": invitation.created_at,
                "message": invitation.note,
                "direction": "OUTGOING" if outgoing else "INCOMING",
                "status": invitation.status,
                "from_url": profile_url(member if outgoing else other),
                "to_url": profile_url(other if outgoing else member),
            }
        )
    part.files["Invitations.csv"] = table(
        ["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl", "inviteeProfileUrl"],
        [
            [
                i["from"],
                i["to"],
                i["sent_at"].strftime("%-m/%-d/%y, %-I:%M %p"),
                i["message"],
                i["direction"],
                i["from_url"],
                i["to_url"],
            ]
            for i in invitations
        ],
    )
    following = network.visible_members(
        member, list(network.followed_ids(member).values_list("followee_id", flat=True))
    )
    blocked = [b.blocked for b in network.blocked_members(member) if b.blocked.is_active]
    domain = site_domain()
    part.files["following_accounts.csv"] = formats.mastodon_following(
        [f"{v.member.username}@{domain}" for v in following]
    )
    part.files["blocked_accounts.csv"] = formats.mastodon_blocks(
        [f"{m.username}@{domain}" for m in blocked]
    )
    part.files["connections.vcf"] = formats.vcard([_card(p) for p in people])
    part.data["connections"] = [
        {
            "handle": p["view"].member.username,
            "name": p["view"].member.name,
            "url": p["url"],
            "company": p["company"],
            "title": p["title"],
            "connected_at": _iso(p["since"]),
        }
        for p in people
    ]
    part.data["invitations"] = [{k: _iso(v) for k, v in i.items()} for i in invitations]
    part.data["following"] = [v.member.username for v in following]
    part.data["blocked"] = [m.username for m in blocked]
    return part


def _card(person: dict) -> formats.Card:
    view = person["view"]
    return formats.Card(
        name=view.member.name,
        first=person["first"],
        last=person["last"],
        url=person["url"],
        title=person["title"],
        company=person["company"],
        headline=view.headline,
        location=view.location,
    )


def feed_part(member: User) -> Part:
    """feed (P1-P5): the member's posts, comments, reactions, and their images."""
    posts = list(feed.own_posts(member))
    link = f"{settings.SITE_URL}/posts/"
    shares = [p for p in posts if p.kind != "comment"]
    comments = [p for p in posts if p.kind == "comment"]
    part = Part()
    part.files["Shares.csv"] = table(
        ["Date", "ShareLink", "ShareCommentary", "SharedUrl", "MediaUrl", "Visibility"],
        [
            [
                p.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                f"{link}{p.pk}/",
                p.text,
                f"{link}{p.reblog_id or p.quote_id}/" if (p.reblog_id or p.quote_id) else "",
                " ".join(
                    f"images/posts/{m.pk}.{m.file.name.rsplit('.', 1)[-1]}" for m in p.media.all()
                ),
                "MEMBER_NETWORK" if p.visibility == "connections" else "PUBLIC",
            ]
            for p in shares
        ],
    )
    part.files["Comments.csv"] = table(
        ["Date", "Link", "Message"],
        [
            [p.created_at.strftime("%Y-%m-%d %H:%M:%S"), f"{link}{p.root_id or p.pk}/", p.text]
            for p in comments
        ],
    )
    reactions = list(feed.own_reactions(member))
    part.files["Reactions.csv"] = table(
        ["Date", "Type", "Link"],
        [
            [r.created_at.strftime("%Y-%m-%d %H:%M:%S"), r.type.upper(), f"{link}{r.post_id}/"]
            for r in reactions
        ],
    )
    for media in feed.uploaded_media(member):
        suffix = media.file.name.rsplit(".", 1)[-1]
        part.images[f"images/posts/{media.pk}.{suffix}"] = media.file.path
    part.data["posts"] = [
        {
            "id": p.pk,
            "kind": p.kind,
            "text": p.text,
            "visibility": p.visibility,
            "created_at": _iso(p.created_at),
            "edited_at": _iso(p.edited_at),
            "in_reply_to": p.in_reply_to_id,
            "root": p.root_id,
            "reblog": p.reblog_id,
            "quote": p.quote_id,
            "media": [m.pk for m in p.media.all()],
        }
        for p in posts
    ]
    part.data["reactions"] = [
        {"post": r.post_id, "type": r.type, "created_at": _iso(r.created_at)} for r in reactions
    ]
    return part


def messaging_part(member: User) -> Part:
    """messaging (M1-M6): the conversations the member can read, as their inbox shows them."""
    rows, data = [], []
    for thread, messages in messaging.own_threads(member):
        me, other = member, thread.other
        for message in messages:
            mine = message.sender_id == me.pk
            sender, recipient = (me, other) if mine else (other, me)
            rows.append(
                [
                    thread.pk,
                    "",
                    sender.name,
                    profile_url(sender),
                    recipient.name,
                    profile_url(recipient),
                    message.created_at.strftime("%Y-%m-%d %H:%M:%S UTC"),
                    message.subject,
                    message.text,
                    "INBOX",
                ]
            )
            data.append(
                {
                    "conversation": thread.pk,
                    "from": sender.username,
                    "to": recipient.username,
                    "subject": message.subject,
                    "text": message.text,
                    "sent_at": _iso(message.created_at),
                }
            )
    part = Part()
    part.files["messages.csv"] = table(
        [
            "CONVERSATION ID",
            "CONVERSATION TITLE",
            "FROM",
            "SENDER PROFILE URL",
            "TO",
            "RECIPIENT PROFILE URLS",
            "DATE",
            "SUBJECT",
            "CONTENT",
            "FOLDER",
        ],
        rows,
    )
    part.data["messages"] = data
    return part


def notes_and_tags_part(member: User) -> Part:
    """relationships (A1): the member's own private notes and tags, by the handles of the
    members they are about; never the notes and tags others keep about the member."""
    notes, tags = relationships.own_notes_and_tags(member)
    ids = {pk for pk, _ in notes} | {pk for _, members in tags for pk in members}
    handles = relationships.members_by_id(ids)
    handle = {pk: handles[pk].username for pk in ids if pk in handles}
    part = Part()
    part.files["Notes.csv"] = table(
        ["Handle", "Note"], [[handle[pk], text] for pk, text in notes if pk in handle]
    )
    part.files["Tags.csv"] = table(
        ["Tag", "Handle"],
        [[title, handle[pk]] for title, members in tags for pk in members if pk in handle],
    )
    # The same tags as Mastodon's lists.csv (a tag is a Mastodon list), for Mastodon's tools.
    part.files["lists.csv"] = formats.mastodon_lists(
        [
            (title, f"{handle[pk]}@{site_domain()}")
            for title, members in tags
            for pk in members
            if pk in handle
        ]
    )
    part.data["notes"] = [
        {"handle": handle[pk], "note": text} for pk, text in notes if pk in handle
    ]
    part.data["tags"] = [
        {"title": title, "handles": [handle[pk] for pk in members if pk in handle]}
        for title, members in tags
    ]
    return part


PARTS: list[tuple[str, Callable[[User], Part | None]]] = [
    ("profile", profile_part),
    ("network", network_part),
    ("feed", feed_part),
    ("messaging", messaging_part),
    ("relationships", notes_and_tags_part),
]


def collect(member: User, progress=None) -> tuple[dict[str, str], dict, dict[str, str]]:
    files, data, images = {}, {"format": "linkwell-export/1"}, {}
    for number, (_area, part_of) in enumerate(PARTS, start=1):
        part = part_of(member)
        if part is not None:
            files.update(part.files)
            data.update(part.data)
            images.update(part.images)
        if progress:
            progress(5 + int(80 * number / len(PARTS)))
    return files, data, images


def write_export(member: User, path, *, progress=None) -> None:
    member = User.objects.select_related("profile").get(pk=member.pk)
    files, data, images = collect(member, progress)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text.encode("utf-8"))
        archive.writestr(
            "linkwell.json", json.dumps(data, ensure_ascii=False, indent=1, default=str)
        )
        for name, source in images.items():
            try:
                archive.write(source, name)
            except OSError:
                continue  # a file lost from storage: the rest of the export still goes
