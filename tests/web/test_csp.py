"""The strict Content-Security-Policy: served on every page, and every page works under it.

Chromium reports each blocked script, style or form submission as a `securitypolicyviolation`
event and a console error; the browser tests collect both and fail on any.
"""

import http.server
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from api.oauth.views import redirect_source
from network import services as network
from tests.api.factories import make_app
from tests.factories import make_member

STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


# --- The header ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/login/", "/join/", "/in/alice/", "/api/docs", "/nope/"])
def test_every_page_carries_the_strict_policy(client, member, path):
    assert policy(client.get(path)) == STRICT


@pytest.mark.django_db
def test_signed_in_pages_carry_the_strict_policy(signed_in):
    for path in ["/", "/in/alice/edit/", "/settings/", "/settings/tokens/", "/mynetwork/"]:
        assert policy(signed_in.get(path)) == STRICT, path


@pytest.mark.django_db
def test_the_500_page_needs_no_inline_style(client):
    from django.template.loader import get_template

    html = get_template("500.html").render()
    assert "<style" not in html and "style=" not in html and "<script" not in html


@pytest.mark.django_db
def test_no_template_has_inline_script_handlers_or_style_attributes():
    from pathlib import Path

    roots = [Path(settings.BASE_DIR) / app / "templates" for app in ("web", "api")]
    offenders = []
    for root in roots:
        for template in root.rglob("*.html"):
            text = template.read_text()
            for needle in (" style=", "<style", " onclick=", " onsubmit=", " oninput=", "hx-on"):
                if needle in text:
                    offenders.append(f"{template.relative_to(settings.BASE_DIR)}: {needle}")
            if "<script" in text and "<script src=" not in text:
                offenders.append(f"{template.relative_to(settings.BASE_DIR)}: inline <script>")
    assert offenders == []


@pytest.mark.django_db
def test_htmx_is_configured_for_the_policy(client):
    page = client.get("/login/").content.decode()
    assert '<meta name="htmx-config"' in page
    assert '"includeIndicatorStyles": false' in page and '"allowEval": false' in page


@pytest.mark.django_db
def test_consent_page_may_post_on_to_its_clients_redirect_origin_only(signed_in):
    application, _ = make_app(redirect="https://client.example:8443/callback?x=1")
    page = signed_in.get(
        "/oauth/authorize",
        {
            "response_type": "code",
            "client_id": application.client_id,
            "redirect_uri": "https://client.example:8443/callback?x=1",
            "scope": "read",
        },
    )
    assert page.status_code == 200
    assert policy(page)["form-action"] == "'self' https://client.example:8443"
    bad = signed_in.get(
        "/oauth/authorize",
        {
            "response_type": "code",
            "client_id": application.client_id,
            "redirect_uri": "https://elsewhere.example/callback",
            "scope": "read",
        },
    )
    assert policy(bad)["form-action"] == "'self'"


def test_redirect_sources():
    assert redirect_source("https://a.example/cb?x=1") == "https://a.example"
    assert redirect_source("http://127.0.0.1:4000/cb") == "http://127.0.0.1:4000"
    assert redirect_source("urn:ietf:wg:oauth:2.0:oob") is None
    assert redirect_source("tusky://oauth") == "tusky:"
    assert redirect_source("") is None


# --- In Chromium --------------------------------------------------------------------------

WATCH_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile}:${e.lineNumber} (${e.sample})`);
});
"""


class Violations(list):
    def watch(self, page):
        page.add_init_script(WATCH_VIOLATIONS)
        page.on(
            "console",
            lambda message: (
                self.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text or "CSP violation" in message.text
                else None
            ),
        )
        page.on("pageerror", lambda error: self.append(f"{page.url}: script error {error}"))
        return page


def watched_page(browser, live_server, violations, member=None):
    context = browser.new_context()
    if member is not None:
        client = Client()
        client.force_login(member)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())
    return context, violations.watch(page)


def visit(page, url):
    response = page.goto(url, wait_until="networkidle")
    assert response.status < 400, (url, response.status)
    assert "default-src 'self'" in response.headers["content-security-policy"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_main_pages_work_with_no_csp_violation(browser, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    dana = make_member(handle="dana", display_name="Dana Diaz")
    eli = make_member(handle="eli", display_name="Eli Evans")
    fay = make_member(handle="fay", display_name="Fay Fox")
    network.invite(sender=eli, recipient=dana, note="Hello Dana")
    invitation = network.invite(sender=fay, recipient=dana)
    network.accept(invitation_id=invitation.pk, by=dana)
    violations = Violations()
    base = live_server.url

    visitor_context, visitor = watched_page(browser, live_server, violations)
    member_context, page = watched_page(browser, live_server, violations, member=dana)
    try:
        for path in ["/", "/login/", "/join/", "/in/dana/", "/password-reset/", "/admin/login/"]:
            visit(visitor, f"{base}{path}")
        visit(visitor, f"{base}/api/docs")
        # The page fetches the whole OpenAPI document, built on first use: seconds on a loaded
        # machine, past expect's 5 s default.
        title = visitor.locator(".swagger-ui .info .title")
        expect(title).to_contain_text("Linkwell API", timeout=30_000)
        expect(visitor.locator(".swagger-ui .opblock").first).to_be_visible(timeout=30_000)

        for path in ["/", "/in/dana/", "/settings/", "/settings/tokens/", "/settings/blocks/"]:
            visit(page, f"{base}{path}")
        for path in ["/mynetwork/", "/mynetwork/connections/", "/mynetwork/following/"]:
            visit(page, f"{base}{path}")

        # Edit profile: htmx swaps fragments in place (positions, skills), under the policy.
        visit(page, f"{base}/in/dana/edit/")
        positions = page.locator("#positions")
        positions.get_by_text("Add a position").click()
        positions.get_by_label("Title").fill("Founding engineer")
        positions.get_by_label("Company").fill("Linkwell")
        positions.get_by_label("From").fill("2024-01-15")
        positions.get_by_role("button", name="Add position").click()
        expect(page.locator("#positions")).to_contain_text("Founding engineer")
        page.locator("#skills").get_by_label("Skill").fill("Graphs")
        page.locator("#skills").get_by_role("button", name="Add skill").click()
        expect(page.locator("#skills")).to_contain_text("Graphs")
        assert page.url.endswith("/in/dana/edit/")  # swapped by htmx, no page load

        # My Network: accept with htmx; the invite dialog counts the note (static script).
        visit(page, f"{base}/mynetwork/")
        page.get_by_role("button", name="Accept").click()
        expect(page.locator("body")).to_contain_text("connected with Eli")
        visit(page, f"{base}/in/eli/")
        visit(page, f"{base}/in/eli/connections/")
        make_member(handle="gus", display_name="Gus Gray")
        visit(page, f"{base}/in/gus/")
        page.locator("#network-actions summary", has_text="Connect").click()
        page.fill("#invite-note", "Hi Gus")
        expect(page.locator("#invite-note-count")).to_have_text("6 / 300")
        page.get_by_role("button", name="Send invitation").click()
        expect(page.locator("#network-actions")).to_contain_text("Pending")

        # A confirm() from a data-confirm form (static script, no inline handler).
        visit(page, f"{base}/mynetwork/connections/")
        page.get_by_role("button", name="Remove").first.click()
        expect(page.locator("body")).to_contain_text("was removed from your connections")
    finally:
        visitor_context.close()
        member_context.close()
    assert violations == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_watch_catches_an_inline_script_and_a_style_attribute(browser, live_server):
    """The check above can fail: what the policy blocks is seen."""
    violations = Violations()
    context, page = watched_page(browser, live_server, violations)
    try:
        visit(page, f"{live_server.url}/login/")
        page.evaluate(
            """() => {
              const script = document.createElement("script");
              script.textContent = "window.ran = true";
              document.body.append(script);
              document.body.setAttribute("style", "color: red");
            }"""
        )
        page.wait_for_timeout(200)
        assert page.evaluate("window.ran") is None
    finally:
        context.close()
    blocked = " ".join(violations)
    assert "script-src" in blocked and "style-src" in blocked, violations


class Callback(http.server.BaseHTTPRequestHandler):
    """A native app's loopback redirect (RFC 8252) on a port of its own."""

    seen: list = []

    def do_GET(self):  # noqa: N802 - the standard library's name
        Callback.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"signed in")

    def log_message(self, *args):
        pass


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_oauth_consent_redirects_to_the_client_under_form_action(browser, live_server):
    server = http.server.HTTPServer(("127.0.0.1", 0), Callback)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    redirect = f"http://127.0.0.1:{server.server_port}/callback"
    Callback.seen = []
    violations = Violations()
    dana = make_member(handle="dana", display_name="Dana Diaz")
    application, _ = make_app(redirect=redirect, name="Loopback app")
    context, page = watched_page(browser, live_server, violations, member=dana)
    try:
        query = (
            f"response_type=code&client_id={application.client_id}"
            f"&redirect_uri={redirect}&scope=read&state=s-1"
        )
        visit(page, f"{live_server.url}/oauth/authorize?{query}")
        expect(page.get_by_role("heading", name="Allow Loopback app")).to_be_visible()
        page.get_by_role("button", name="Authorize").click()
        page.wait_for_url(f"{redirect}?*")
        expect(page.locator("body")).to_have_text("signed in")
    finally:
        context.close()
        server.shutdown()
    assert violations == []
    callbacks = [path for path in Callback.seen if path.startswith("/callback")]
    assert len(callbacks) == 1
    answer = parse_qs(urlsplit(callbacks[0]).query)
    assert answer["state"] == ["s-1"] and answer["code"][0]
