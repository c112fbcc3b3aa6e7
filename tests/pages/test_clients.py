"""A real client: Mastodon.py follows a page as an account and reads its statuses (F3, G2)."""

from mastodon import Mastodon

from feed import services as feed
from oauth.services import issue_token, register_app
from tests.pages.factories import company


def _token(member) -> str:
    application, _ = register_app(
        name="Client test",
        redirect_uris=["urn:ietf:wg:oauth:2.0:oob"],
        scopes=["read", "write", "follow", "push"],
    )
    _, raw = issue_token(
        application=application, member=member, scopes=["read", "write", "follow", "push"]
    )
    return raw


def test_f3_g2_mastodon_py_follows_a_page_and_reads_its_statuses(live_server, cast):
    ann, ben = cast["ann"], cast["ben"]
    page = company(ann, name="Hazelmark", slug="hazelmark")
    post = feed.publish(author=ann, text="Hazelmark is hiring", page_id=page.pk)
    api = Mastodon(access_token=_token(ben), api_base_url=live_server.url)
    account = api.account(page.account_id)
    assert account["display_name"] == "Hazelmark" and account["group"] is False
    assert account["kind"] == "company"
    relationship = api.account_follow(account)
    assert relationship["following"] is True
    assert api.account_relationships(account)[0]["following"] is True
    statuses = api.account_statuses(account)
    assert [s["id"] for s in statuses] == [str(post.pk)]
    assert statuses[0]["account"]["id"] == str(page.account_id)
    timeline = api.timeline_home()
    assert [s["id"] for s in timeline] == [str(post.pk)]
    api.account_unfollow(account)
    assert api.timeline_home() == []
