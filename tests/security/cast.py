"""The matrix's fixed cast: one owner, a reader of each kind, and private things to look for.

Everything is written through the services, once per test module (tests/security/conftest.py
rolls it back at the end), so what a reader sees is what production would show them.

The readers, each as seen from the owner Olga (the member whose pages and ids the routes
are filled with):

- owner: Olga herself;
- connection: Conor, connected to Olga;
- second: Sam, connected to Conor only (2nd degree);
- stranger: Stella, no tie to anyone;
- blocked: Bruno, whom Olga blocked;
- blocking: Bianca, who blocked Olga;
- hidden: Hugo, a connection of Hana, whose connections are `only_me` (S5); for this reader
  the member in the path is Hana (her id, her handle), everything else is still Olga's;
- anonymous: no session, no token.
"""

import io
from dataclasses import dataclass, field
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from PIL import Image

READERS = (
    "owner",
    "connection",
    "second",
    "stranger",
    "blocked",
    "blocking",
    "hidden",
    "anonymous",
)

# Texts that only some readers may ever see, in any body of any route. Each is unique in the
# cast, so finding it in a body can only mean that thing leaked.
ABOUT = "Olga-about-7f3a: mentors quietly"
PRIVATE_POST = "Olga-connections-only-post-91c2"
PUBLIC_POST = "Olga-public-post-4d8e #matrixtag"
NOTE = "Ivan-invitation-note-b7e1"
EMAIL = "olga.private-5c0d@example.com"
HIDDEN_CONNECTION = "hsecret5e2a"  # the handle of Hana's hidden connection
HEADLINE = "Olga-headline-2b9f"  # on the public card: shown to everyone who may see Olga at all
MESSAGE = "Conor-to-Olga-message-6a1f"  # M1: a message in Olga's conversation with Conor

MEMBERS_WHO_SEE_OLGA = {"owner", "connection", "second", "stranger", "hidden"}

# marker → the readers who may see it (S1, S5, P1, B1, N1, the owner's own address).
MAY_SEE = {
    ABOUT: MEMBERS_WHO_SEE_OLGA,  # S1: the whole profile, to members not blocked either way
    PRIVATE_POST: {"owner", "connection"},  # P1: connections only
    PUBLIC_POST: MEMBERS_WHO_SEE_OLGA | {"anonymous"},  # B1: never across a block
    NOTE: {"owner"},  # N1: the note is the recipient's (and its sender's, not a reader here)
    EMAIL: {"owner"},
    HIDDEN_CONNECTION: set(),  # S5: Hana's only_me connection to him is nobody's business
    MESSAGE: {"owner", "connection"},  # only the conversation's two members, ever
}


def png(name="matrix.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (20, 120, 200)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), "image/png")


@dataclass
class Reader:
    kind: str
    member: object | None
    token: str = ""
    session_cookie: str = ""


@dataclass
class Cast:
    members: dict
    readers: dict
    values: dict = field(default_factory=dict)  # path parameter → value (Olga's things)
    hana_values: dict = field(default_factory=dict)  # the hidden reader's member parameters

    def params(self, kind: str) -> dict:
        return {**self.values, **(self.hana_values if kind == "hidden" else {})}


def build(session_cookie_for) -> Cast:
    """The cast, with every after-commit effect (notifications, fan-out) run as in production."""
    from feed import services as feed
    from membership.services import update_settings
    from network import services as network
    from oauth.services import create_personal_token, issue_token, register_app
    from profiles import services as profiles
    from tests.factories import make_member

    def member(handle, name, **extra):
        return make_member(handle=handle, display_name=name, **extra)

    def connect(a, b):
        invitation = network.invite(sender=a, recipient=b)
        network.accept(invitation_id=invitation.pk, by=b)

    with TestCase.captureOnCommitCallbacks(execute=True):
        olga = member("olga", "Olga Owner", email=EMAIL)
        people = {
            "owner": olga,
            "connection": member("conor", "Conor Connection"),
            "second": member("sam", "Sam Second"),
            "stranger": member("stella", "Stella Stranger"),
            "blocked": member("bruno", "Bruno Blocked"),
            "blocking": member("bianca", "Bianca Blocking"),
            "hidden": member("hugo", "Hugo Hidden"),
        }
        hana = member("hana", "Hana Hides")
        hsecret = member(HIDDEN_CONNECTION, "Secret Friend")
        ivan = member("ivan", "Ivan Invites")
        profiles.update_profile(member=olga, headline=HEADLINE, about=ABOUT, industry="Matrices")
        position = profiles.add_position(
            member=olga, title="Chief Matrix Officer", company="Grid", started_on=date(2020, 1, 1)
        )
        from pages import services as pages

        grid = pages.create_page(by=olga, kind="company", name="Olga Grid", slug="olga-grid")
        pages.create_page(by=olga, kind="school", name="Grid School", slug="grid-school")
        pages.link_position(position=position, page_id=grid.pk)
        connect(olga, people["connection"])
        connect(people["connection"], people["second"])
        connect(hana, people["hidden"])
        connect(hana, hsecret)
        update_settings(member=hana, connections_visible_to="only_me")
        network.block(blocker=olga, blocked=people["blocked"])
        network.block(blocker=people["blocking"], blocked=olga)
        invitation = network.invite(sender=ivan, recipient=olga, note=NOTE)
        network.follow(follower=people["stranger"], followee=olga)

        public = feed.publish(author=olga, text=PUBLIC_POST)
        private = feed.publish(author=olga, text=PRIVATE_POST, visibility="connections")
        feed.react(member=people["connection"], post_id=private.pk)
        feed.comment(author=people["connection"], on=public.pk, text="Nice one")
        media = feed.upload_media(owner=olga, upload=png(), description="Olga's chart")
        keyword_filter = feed.create_filter(
            member=olga, title="Olga's filter", context=["home"], keywords=[("spoilers", True)]
        )
        feed.follow_hashtag(member=olga, name="matrixtag")
        from messaging import services as messaging

        message = messaging.send(
            sender=people["connection"], recipient=olga, text=MESSAGE, files=[png()]
        )
        first = messaging.send(sender=ivan, recipient=olga, text="Ivan's message request")

    from messaging.models import MessageRequest
    from notifications.models import Notification

    notification = Notification.objects.filter(recipient=olga).order_by("pk").first()
    application, _ = register_app(
        name="Matrix client",
        redirect_uris=["https://client.example/callback"],
        scopes=["read", "write", "follow", "push"],
    )
    personal, _ = create_personal_token(member=olga, scopes=["read"])
    from portability import services as portability

    linkedin = portability.start_import(
        member=olga,
        kind="linkedin",
        upload=SimpleUploadedFile(
            "Connections.csv", b"First Name,Last Name,URL\r\nConor,Cole,\r\n", "text/csv"
        ),
    )
    portability.run_import(linkedin.pk)  # the job, as the inline backend runs it after commit
    export = portability.request_export(member=olga)
    portability.build_export(export.pk)
    readers = {}
    for kind in READERS:
        person = people.get(kind)
        if person is None:
            readers[kind] = Reader(kind, None)
            continue
        _, raw = issue_token(
            application=application, member=person, scopes=["read", "write", "follow", "push"]
        )
        readers[kind] = Reader(kind, person, raw, session_cookie_for(person))

    values = {
        "account_id": olga.pk,
        "handle": olga.username,
        "post_id": private.pk,
        "public_post_id": public.pk,
        "invitation_id": invitation.pk,
        "media_id": media.pk,
        "filter_id": keyword_filter.pk,
        "keyword_id": keyword_filter.keywords.first().pk,
        "notification_id": notification.pk if notification else 0,
        "tag": "matrixtag",
        "name": "matrixtag",
        "kind": "like",
        "pk": position.pk,
        "section": "positions",
        "token_id": personal.pk,
        "application_id": application.pk,
        "client_id": application.client_id,
        "conversation_id": message.conversation_id,
        "attachment_id": message.attachments.get().pk,
        "request_id": MessageRequest.objects.get(first_message_id=first.pk).pk,
        "answer": "accept",
        "import_id": linkedin.pk,
        "export_id": export.pk,
        "page_id": grid.account_id,
    }
    return Cast(
        members={**people, "hana": hana, "hsecret": hsecret, "ivan": ivan},
        readers=readers,
        values=values,
        hana_values={"account_id": hana.pk, "handle": hana.username},
    )
