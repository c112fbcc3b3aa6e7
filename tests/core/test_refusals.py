"""Refusals: a plain sentence for the member, the rule id beside it in `rule` (HOUSE.md)."""

import ast
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils.functional import Promise

from core.i18n import moment
from network import services as network_services
from tests.api.factories import bearer, member_token
from tests.factories import make_member
from tests.pysource import parse_file

OUR_PACKAGES = ["accounts", "oauth", "profiles", "network", "feed", "messaging", "notifications"]
OUR_PACKAGES += ["search", "membership", "api", "web", "core", "jobs", "demo"]
RULE_ID_FIRST = re.compile(r"^\s*[SUNFDMBPAGX]\d+\b")
RULE_ID = re.compile(r"[SUNFDMBPAGX]\d+")
ROOT = Path(__file__).resolve().parents[2]


def message_constants():
    """(module.NAME, text) for every upper-case string constant, in dicts too."""
    found = []
    for package in OUR_PACKAGES:
        module = importlib.import_module(package)
        names = [package]
        if hasattr(module, "__path__"):
            names += [
                info.name
                for info in pkgutil.walk_packages(module.__path__, prefix=f"{package}.")
                if ".migrations" not in info.name
            ]
        for name in names:
            loaded = importlib.import_module(name)
            for attr, value in vars(loaded).items():
                if not attr.isupper() or inspect.ismodule(value):
                    continue
                texts = value.values() if isinstance(value, dict) else [value]
                for text in texts:
                    if isinstance(text, str | Promise):
                        found.append((f"{name}.{attr}", str(text)))
    return found


def test_no_message_constant_starts_with_a_rule_id():
    constants = message_constants()
    names = {name for name, _ in constants}
    assert {"network.services.WITHDRAWN_REINVITE", "network.queries.CONNECTIONS_HIDDEN"} <= names
    sentences = [(n, t) for n, t in constants if not RULE_ID.fullmatch(t)]  # SETTING_RULES
    assert [(n, t) for n, t in sentences if RULE_ID_FIRST.match(t)] == []


REFUSALS = {"Refused", "Invalid", "Forbidden", "NotFound", "Gone", "Conflict", "RateLimited"}
# Refusals that no product rule decides: a missing or already-answered record; and a member
# hidden by a block, whose 404 must read exactly like an unknown id's (B1 says nothing).
WITHOUT_A_RULE = {
    "INVITATION_NOT_FOUND",
    "INVITATION_ANSWERED",
    "UNKNOWN_SETTING",
    "UNKNOWN_LANGUAGE",  # the interface language: docs/i18n.md, no product rule
    "MEMBER_NOT_FOUND",
}


@pytest.mark.parametrize(
    "path", ["network/services.py", "profiles/services.py", "membership/services.py"]
)
def test_every_rule_refusal_in_the_services_names_its_rule(path):
    tree = parse_file(ROOT / path)
    missing = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
            continue
        call = node.exc
        if not (isinstance(call.func, ast.Name) and call.func.id in REFUSALS):
            continue
        message = ast.unparse(call.args[0]) if call.args else ""
        if message.split(".")[0] in WITHOUT_A_RULE:
            continue
        if not any(keyword.arg == "rule" for keyword in call.keywords):
            missing.append(f"{path}:{node.lineno} {ast.unparse(call)}")
    assert missing == []


@pytest.mark.django_db
def test_the_api_puts_the_rule_id_in_rule_and_keeps_until(frozen_now, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ann, ben = make_member(handle="ann"), make_member(handle="ben")
    invitation = network_services.invite(sender=ann, recipient=ben)
    network_services.withdraw(invitation_id=invitation.pk, by=ann)
    invitation.refresh_from_db()
    client = Client(**bearer(member_token(ann)))
    response = client.post(f"/api/v1/accounts/{ben.pk}/connect")
    until = invitation.answered_at + network_services.timedelta(days=21)
    assert response.status_code == 403
    assert response.json() == {
        "error": network_services.WITHDRAWN_REINVITE.format(until=moment(until)),
        "rule": "N4",
        "until": until.isoformat(),
    }


@pytest.mark.django_db
def test_a_refusal_without_a_rule_has_no_rule_field(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ann = make_member(handle="ann")
    response = Client(**bearer(member_token(ann))).post("/api/v1/invitations/12345/accept")
    assert response.status_code == 404
    assert response.json() == {"error": network_services.INVITATION_NOT_FOUND}


@pytest.mark.django_db
def test_the_web_shows_the_sentence_without_a_rule_id(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ann = make_member(handle="ann")
    client = Client()
    client.force_login(ann)
    response = client.post("/in/ann/network/follow/")
    shown = [m.message for m in response.wsgi_request._messages]
    assert shown == [network_services.CANNOT_FOLLOW_SELF]
    assert not RULE_ID_FIRST.match(shown[0])
