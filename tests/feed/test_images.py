"""P1/B1 for posts' images: served only through the door, at the URLs the API and pages give."""

from urllib.parse import urlsplit

from django.test import Client

from feed import queries, services
from network import services as network_services
from tests.api.factories import bearer, member_token
from tests.feed.conftest import png_upload
from tests.feed.factories import connect
from tests.feed.test_web import signed_in


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _with_image(author, visibility="anyone"):
    media = services.upload_media(owner=author, upload=png_upload(), description="Red")
    post = services.publish(author=author, text="Look", visibility=visibility, media_ids=[media.pk])
    return post, media


def _status_image(member, post) -> dict:
    headers = bearer(member_token(member, scopes=("read",)))
    status = Client().get(f"/api/v1/statuses/{post.pk}", **headers).json()
    return status["media_attachments"][0]


def test_p1_a_connections_posts_image_is_404_to_a_follower_and_a_stranger(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    network_services.follow(follower=cat, followee=ann)
    post, media = _with_image(ann, "connections")
    path = f"/images/{media.pk}/full/"
    shown = signed_in(ben).get(path)
    assert shown.status_code == 200
    assert shown["Content-Type"] == "image/webp"
    assert shown["Cache-Control"] == "private, max-age=86400"
    assert shown["X-Content-Type-Options"] == "nosniff"
    assert b"".join(shown.streaming_content)[:4] == b"RIFF"
    assert signed_in(cat).get(path).status_code == 404  # a follower, not a connection
    assert Client().get(path).status_code == 404  # signed out
    assert signed_in(ann).get(f"/images/{media.pk}/preview/").status_code == 200


def test_p1_an_anyone_posts_image_is_public_and_cacheable(cast):
    post, media = _with_image(cast["ann"])
    shown = Client().get(f"/images/{media.pk}/preview/")
    assert shown.status_code == 200 and shown["Cache-Control"] == "public, max-age=86400"
    again = Client().get(f"/images/{media.pk}/preview/", HTTP_IF_NONE_MATCH=shown["ETag"])
    assert again.status_code == 304
    assert Client().get(f"/images/{media.pk}/huge/").status_code == 404


def test_b1_a_blocked_members_image_is_404_both_ways(cast):
    ann, ben = cast["ann"], cast["ben"]
    _, anns = _with_image(ann)
    _, bens = _with_image(ben)
    network_services.block(blocker=ann, blocked=ben)
    assert signed_in(ben).get(f"/images/{anns.pk}/full/").status_code == 404
    assert signed_in(ann).get(f"/images/{bens.pk}/full/").status_code == 404


def test_p1_an_image_not_yet_on_a_post_is_only_its_uploaders(cast):
    ann, ben = cast["ann"], cast["ben"]
    media = services.upload_media(owner=ann, upload=png_upload())
    assert signed_in(ann).get(f"/images/{media.pk}/full/").status_code == 200
    assert signed_in(ben).get(f"/images/{media.pk}/full/").status_code == 404
    assert Client().get(f"/images/{media.pk}/full/").status_code == 404
    # nor is any file under MEDIA_ROOT but avatars served by its stored name
    assert Client().get(f"/media/{media.file.name}").status_code == 404


def test_p1_api_image_urls_work_without_a_token_only_for_whom_they_were_given(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    post, media = _with_image(ann, "connections")
    given = _status_image(ben, post)
    assert "?v=" in given["url"] and given["preview_url"].split("?")[0].endswith("/preview/")
    assert Client().get(_path(given["url"])).status_code == 200  # no cookie, no token
    assert Client().get(_path(given["preview_url"])).status_code == 200
    forged = _path(given["url"]).replace(f"/{media.pk}/", f"/{media.pk + 1}/")
    assert Client().get(forged).status_code == 404  # the signature is for this image only
    network_services.disconnect(by=ann, member=ben)
    assert Client().get(_path(given["url"])).status_code == 404  # checked now, not when given
    public_post, public_media = _with_image(ann)
    public = _status_image(cat, public_post)
    assert "?" not in public["url"]
    assert Client().get(_path(public["url"])).status_code == 200
    assert queries.visible_media(None, public_media.pk) == public_media


def test_p1_the_home_page_links_images_through_the_image_route(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    _, media = _with_image(ann, "connections")
    page = signed_in(ben).get("/?order=recent").content.decode()
    assert f'src="/images/{media.pk}/preview/"' in page
    assert media.file.name not in page
