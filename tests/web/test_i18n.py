"""Linkwell in German (docs/i18n.md). The member's choice, else the browser's Accept-Language, else
LINKWELL_LANGUAGE; every surface (pages, e-mails, API refusals) speaks it."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from core.i18n import moment
from network import services as network
from network.queries import follower_count
from profiles.queries import language_of
from tests.api.factories import bearer, member_token
from tests.factories import make_member
from tests.network.factories import connect, set_profile

pytestmark = pytest.mark.django_db
GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9,en;q=0.5"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}


def member(handle, language="", **profile):
    person = make_member(handle=handle, display_name=handle.title())
    if language or profile:
        set_profile(person, **({"language": language} if language else {}), **profile)
    return person


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- The order: the member's choice, the browser, the operator's default ---------------


def test_i18n_signed_out_pages_follow_the_browser():
    client = Client()
    sign_in = text(client.get("/login/", **GERMAN))
    assert '<html lang="de">' in sign_in
    assert "Einloggen" in sign_in and "Passwort vergessen?" in sign_in
    join = text(client.get("/join/", **GERMAN))
    assert "Zustimmen &amp; Mitglied werden" in join and "Ihr Name" in join
    assert "Sign in" in text(Client().get("/login/", **ENGLISH))


def test_i18n_the_members_choice_beats_the_browser_both_ways():
    german, english = member("greta", "de"), member("edgar", "en")
    assert "Mein Netzwerk" in text(signed_in(german).get("/mynetwork/", **ENGLISH))
    assert "My Network" in text(signed_in(english).get("/mynetwork/", **GERMAN))


def test_i18n_without_a_choice_the_browser_decides_then_linkwell_language(settings):
    undecided = member("uma")
    assert "Mein Netzwerk" in text(signed_in(undecided).get("/mynetwork/", **GERMAN))
    assert "My Network" in text(signed_in(undecided).get("/mynetwork/"))
    settings.LANGUAGE_CODE = "de"  # LINKWELL_LANGUAGE=de, a browser that says nothing
    assert "Mein Netzwerk" in text(signed_in(undecided).get("/mynetwork/"))


def test_i18n_the_settings_page_stores_the_choice_and_answers_in_it_at_once():
    greta = member("greta")
    client = signed_in(greta)
    page = text(client.get("/settings/", **ENGLISH))
    assert "The language of your browser" in page and 'value="de"' in page and "Deutsch" in page
    form = {
        "primary_action": "connect",
        "followers_allowed": "everyone",
        "invitations_from": "everyone",
        "connections_visible_to": "connections",
        "share_profile_updates": "on",
        "language": "de",
    }
    saved = client.post("/settings/", form, follow=True, **ENGLISH)
    assert language_of(greta) == "de"
    page = text(saved)
    assert "Ihre Einstellungen wurden gespeichert." in page
    assert "Datenschutz und Sichtbarkeit" in page and "Wer Ihnen folgen kann" in page


def test_i18n_an_unknown_language_is_refused_with_the_rule(client):
    from core.errors import Invalid
    from membership.services import update_settings

    greta = member("greta")
    with pytest.raises(Invalid) as refused:
        update_settings(member=greta, language="xx")
    assert refused.value.rule is None and language_of(greta) == ""


def test_i18n_the_footer_switch_works_signed_out_and_stores_a_members_choice():
    client = Client()
    switched = client.post("/language/", {"language": "de", "next": "/login/"}, **ENGLISH)
    assert switched.status_code == 302 and switched["Location"] == "/login/"
    assert "Einloggen" in text(client.get("/login/", **ENGLISH))  # the cookie beats the browser
    greta = member("greta")
    member_client = signed_in(greta)
    member_client.post("/language/", {"language": "de", "next": "/"})
    assert language_of(greta) == "de"
    assert "Mein Netzwerk" in text(signed_in(greta).get("/mynetwork/"))  # a new device too


# --- Each surface in German ---------------------------------------------------------------


def test_i18n_profile_page_in_german_with_connect_and_a_2nd_degree_badge():
    greta, ben, cat = member("greta", "de"), member("ben"), member("cat")
    connect(greta, ben)
    connect(ben, cat)
    page = text(signed_in(greta).get("/in/cat/"))
    assert "Vernetzen" in page and "· 2.</span>" in page and 'title="Kontakt 2. Grades"' in page
    assert "1 gemeinsamer Kontakt" in page and "Wie Sie verbunden sind" in page
    set_profile(cat, primary_action="follow")
    assert "Folgen" in text(signed_in(greta).get("/in/cat/"))


def test_i18n_my_network_in_german_with_an_invitation():
    greta, ben = member("greta", "de"), member("ben")
    network.invite(sender=ben, recipient=greta)
    page = text(signed_in(greta).get("/mynetwork/"))
    assert "Mein Netzwerk" in page and "Einladungen" in page
    for button in ("Annehmen", "Ignorieren", "Ich kenne diese Person nicht"):
        assert f">{button}</button>" in page


def test_i18n_feed_and_notifications_in_german(django_capture_on_commit_callbacks):
    greta, ben = member("greta", "de"), member("ben")
    with django_capture_on_commit_callbacks(execute=True):
        network.invite(sender=ben, recipient=greta)
    client = signed_in(greta)
    home = text(client.get("/"))
    assert "Worüber möchten Sie sprechen?" in home and "Startseite" in home
    inbox = text(client.get("/notifications/"))
    assert "Mitteilungen" in inbox and "möchte sich mit Ihnen vernetzen." in inbox


def test_i18n_plural_forms_and_numbers_in_german():
    one = Template(
        "{% load i18n humanize %}{% blocktranslate with shown=n|intcomma count counter=n %}"
        "{{ shown }} mutual connection{% plural %}{{ shown }} mutual connections"
        "{% endblocktranslate %}"
    )
    with translation.override("de"):
        said = [one.render(Context({"n": n})) for n in (1, 12, 1234)]
    assert said == ["1 gemeinsamer Kontakt", "12 gemeinsame Kontakte", "1.234 gemeinsame Kontakte"]
    with translation.override("en"):
        assert one.render(Context({"n": 1234})) == "1,234 mutual connections"


def test_i18n_followers_count_reads_as_a_german_plural_on_the_profile():
    greta, ben = member("greta", "de"), member("ben")
    network.follow(follower=ben, followee=greta)
    assert follower_count(greta) == 1
    assert "1 Follower" in text(signed_in(greta).get("/in/greta/"))


def test_i18n_n4_refusal_in_german_with_the_localised_date_and_the_rule_id_unchanged(
    frozen_now,
):
    frozen_now.value = frozen_now.value.replace(year=2026, month=3, day=12, hour=14, minute=30)
    greta, ben = member("greta", "de"), member("ben")
    invitation = network.invite(sender=greta, recipient=ben)
    network.withdraw(invitation_id=invitation.pk, by=greta)
    response = Client().post(
        f"/api/v1/accounts/{ben.pk}/connect", **bearer(member_token(greta)), **ENGLISH
    )
    assert response.status_code == 403
    body = response.json()
    assert body["rule"] == "N4"
    assert body["error"] == (
        "Sie haben eine Einladung an dieses Mitglied zurückgezogen; Sie können es ab "
        "2. April 2026, 14:30 UTC erneut einladen (nach 21 Tagen)."
    )
    with translation.override("en"):
        assert moment(frozen_now.value + timedelta(days=21)) == "Apr 2, 2026, 14:30"


def test_i18n_n4_refusal_on_the_page_in_german(frozen_now):
    greta, ben = member("greta", "de"), member("ben")
    invitation = network.invite(sender=greta, recipient=ben)
    network.withdraw(invitation_id=invitation.pk, by=greta)
    page = text(signed_in(greta).post("/in/ben/network/connect/", {"reason": "met"}))
    assert "Sie haben eine Einladung an dieses Mitglied zurückgezogen" in page


def test_i18n_api_errors_follow_accept_language_without_a_choice_and_keep_mastodons_404():
    uma = member("uma")
    token = bearer(member_token(uma))
    unknown = Client().get("/api/v1/accounts/999999", **token, **GERMAN)
    assert unknown.status_code == 404 and unknown.json() == {"error": "Eintrag nicht gefunden"}
    english = Client().get("/api/v1/accounts/999999", **token, **ENGLISH)
    assert english.json() == {"error": "Record not found"}
    bad_token = Client().get(
        "/api/v1/accounts/verify_credentials", HTTP_AUTHORIZATION="Bearer nope", **GERMAN
    )
    assert bad_token.json() == {"error": "Das Zugriffstoken ist ungültig"}


def test_i18n_update_credentials_sets_the_language_as_mastodons_source_language():
    uma = member("uma")
    token = bearer(member_token(uma))
    changed = Client().patch(
        "/api/v1/accounts/update_credentials",
        {"source": {"language": "de"}},
        content_type="application/json",
        **token,
    )
    assert changed.status_code == 200 and changed.json()["source"]["language"] == "de"
    assert language_of(uma) == "de"
    refused = Client().patch(
        "/api/v1/accounts/update_credentials",
        "source%5Blanguage%5D=xx",
        content_type="application/x-www-form-urlencoded",
        **token,
    )
    assert refused.status_code == 422 and "rule" not in refused.json()
    assert refused.json()["error"] == "Die Sprache muss eine der folgenden sein: en, de."


def test_i18n_password_reset_mail_speaks_the_members_language_whatever_the_browser(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    greta = member("greta", "de")
    Client().post("/password-reset/", {"email": greta.email}, **ENGLISH)
    (sent,) = mail.outbox
    assert sent.subject == "Setzen Sie Ihr Linkwell-Passwort zurück"
    assert sent.body.startswith("Hallo Greta,") and "Linkwell-Kontos @greta" in sent.body


def test_i18n_password_reset_mail_follows_the_browser_when_the_member_never_chose(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    uma = member("uma")
    Client().post("/password-reset/", {"email": uma.email}, **GERMAN)
    assert mail.outbox[0].subject == "Setzen Sie Ihr Linkwell-Passwort zurück"


def test_i18n_sign_up_in_german_sends_the_confirmation_in_german(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LINKWELL_REQUIRE_EMAIL_CONFIRMATION = True
    form = {
        "display_name": "Greta Gruber",
        "handle": "greta",
        "email": "greta@example.de",
        "password": "ein langes Passwort 2026",
    }
    page = text(Client().post("/join/", form, follow=True, **GERMAN))
    assert "Prüfen Sie Ihre E-Mails" in page
    (sent,) = mail.outbox
    assert sent.subject == "Bestätigen Sie Ihre E-Mail-Adresse für Linkwell"
    assert sent.body.startswith("Hallo Greta Gruber,")


def test_i18n_the_edges_refusals_speak_the_browsers_language_not_the_last_requests():
    greta = member("greta", "de")
    signed_in(greta).get("/mynetwork/")  # leaves German active in this thread
    refused = Client().get("/api/v1/accounts/search", {"q": "a\x00b"}, **ENGLISH)
    assert refused.status_code == 400 and "contains a NUL character" in refused.json()["error"]
    german = Client().get("/api/v1/accounts/search", {"q": "a\x00b"}, **GERMAN)
    assert "enthält ein NUL-Zeichen" in german.json()["error"]
