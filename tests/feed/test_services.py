"""Posts, comments, reactions and reposts through the services (P1, P2, F3)."""

import pytest

from core.errors import Forbidden, Invalid, NotFound
from feed import queries, services
from feed.models import Post, PostRevision, Reaction
from tests.feed.conftest import png_upload
from tests.feed.factories import connect, post


def test_p1_post_text_is_sanitised_and_links_mentions_and_hashtags(cast):
    made = post(
        cast["ann"],
        "Hi @ben see https://example.com/a?b=1 #Python <script>alert(1)</script>"
        "<img src=x onerror=alert(2)> @nobody",
    )
    assert "<script" not in made.html and "<img" not in made.html
    assert "&lt;script&gt;" in made.html and "&lt;img" in made.html
    assert 'href="http://127.0.0.1:8000/in/ben/"' in made.html
    assert 'href="https://example.com/a?b=1"' in made.html
    assert "/tags/python/" in made.html and "@nobody" in made.html
    assert [pt.hashtag.key for pt in made.post_tags.all()] == ["python"]
    assert list(made.mentions.values_list("member__username", flat=True)) == ["ben"]


def test_p1_post_longer_than_3000_characters_is_refused(cast):
    with pytest.raises(Invalid) as refused:
        post(cast["ann"], "x" * 3001)
    assert refused.value.message == services.POST_TOO_LONG % {"max": 3000}
    assert refused.value.rule == "P1"
    assert not Post.objects.exists()


def test_p1_empty_post_is_refused(cast):
    with pytest.raises(Invalid):
        post(cast["ann"], "  \x00 ")


def test_p1_idempotency_key_makes_a_retry_return_the_first_post(cast):
    first = post(cast["ann"], "Once", idempotency_key="k1")
    again = post(cast["ann"], "Once", idempotency_key="k1")
    assert first.pk == again.pk and Post.objects.count() == 1


def test_p1_edit_keeps_the_previous_versions_and_only_the_author_edits(cast):
    made = post(cast["ann"], "First #draft")
    services.edit(editor=cast["ann"], post_id=made.pk, text="Second #final")
    services.edit(editor=cast["ann"], post_id=made.pk, text="Third")
    made.refresh_from_db()
    assert made.text == "Third" and made.edited_at is not None
    assert list(PostRevision.objects.filter(post=made).values_list("text", flat=True)) == [
        "First #draft",
        "Second #final",
    ]
    assert not made.post_tags.exists()
    with pytest.raises(Forbidden):
        services.edit(editor=cast["ben"], post_id=made.pk, text="Mine now")


def test_p1_delete_by_the_author_only_and_comments_go_with_the_post(cast):
    made = post(cast["ann"], "Short-lived")
    services.comment(author=cast["ben"], on=made.pk, text="Nice")
    with pytest.raises(Forbidden):
        services.delete(by=cast["ben"], post_id=made.pk)
    services.delete(by=cast["ann"], post_id=made.pk)
    assert not Post.objects.exists()


def test_p1_images_are_checked_stripped_of_exif_and_attached(cast):
    media = services.upload_media(
        owner=cast["ann"], upload=png_upload(exif=True, size=(3000, 1000)), description="A chart"
    )
    assert media.width == 1600 and media.height == 533
    media.file.open("rb")
    data = media.file.read()
    assert b"SecretCam" not in data and data[:4] == b"RIFF"  # re-encoded WebP, no EXIF
    made = services.publish(author=cast["ann"], text="", media_ids=[media.pk])
    assert list(made.media.all()) == [media]
    with pytest.raises(Invalid):  # already on a post
        services.publish(author=cast["ann"], text="again", media_ids=[media.pk])


def test_p1_an_upload_that_is_not_an_image_is_refused(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(Invalid):
        services.upload_media(
            owner=cast["ann"], upload=SimpleUploadedFile("x.png", b"<svg onload=alert(1)>")
        )


def test_p1_at_most_four_images(cast):
    ids = [services.upload_media(owner=cast["ann"], upload=png_upload()).pk for _ in range(5)]
    with pytest.raises(Invalid):
        services.publish(author=cast["ann"], text="five", media_ids=ids)


def test_p1_someone_elses_image_cant_be_attached(cast):
    media = services.upload_media(owner=cast["ben"], upload=png_upload())
    with pytest.raises(Invalid):
        services.publish(author=cast["ann"], text="stolen", media_ids=[media.pk])


def test_p2_reply_to_a_reply_attaches_to_its_top_level_comment(cast):
    root = post(cast["ann"])
    top = services.comment(author=cast["ben"], on=root.pk, text="Comment")
    reply = services.comment(author=cast["cat"], on=top.pk, text="Reply")
    deeper = services.comment(author=cast["dan"], on=reply.pk, text="Reply to the reply")
    assert (reply.root_id, reply.in_reply_to_id) == (root.pk, top.pk)
    assert (deeper.root_id, deeper.in_reply_to_id) == (root.pk, top.pk)
    root.refresh_from_db()
    top.refresh_from_db()
    assert root.comments_count == 3 and top.comments_count == 2
    services.delete(by=cast["ben"], post_id=top.pk)
    root.refresh_from_db()
    assert root.comments_count == 0 and not Post.objects.filter(root=root).exists()


def test_p2_a_comment_is_as_visible_as_its_root_post(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    private = post(ann, "Connections only", visibility="connections")
    comment = services.comment(author=ben, on=private.pk, text="Seen by Ann's connections")
    assert comment.visibility == "connections"
    with pytest.raises(NotFound):
        queries.visible_post(cat, comment.pk)
    assert queries.visible_post(ann, comment.pk).pk == comment.pk


def test_p2_one_reaction_per_member_and_it_can_change(cast):
    made = post(cast["ann"])
    services.react(member=cast["ben"], post_id=made.pk, kind="like")
    services.react(member=cast["ben"], post_id=made.pk, kind="like")
    made.refresh_from_db()
    assert (made.reactions_count, made.like_count) == (1, 1)
    services.react(member=cast["ben"], post_id=made.pk, kind="celebrate")
    made.refresh_from_db()
    assert (made.reactions_count, made.like_count, made.celebrate_count) == (1, 0, 1)
    assert Reaction.objects.get().type == "celebrate"
    services.unreact(member=cast["ben"], post_id=made.pk)
    made.refresh_from_db()
    assert (made.reactions_count, made.celebrate_count) == (0, 0)


def test_p2_unknown_reaction_is_refused(cast):
    made = post(cast["ann"])
    with pytest.raises(Invalid) as refused:
        services.react(member=cast["ben"], post_id=made.pk, kind="angry")
    assert refused.value.message == services.UNKNOWN_REACTION


def test_p2_plain_repost_once_per_member_and_undo(cast):
    made = post(cast["ann"])
    first = services.repost(author=cast["ben"], original=made.pk)
    again = services.repost(author=cast["ben"], original=first.pk)  # a repost of the repost
    assert first.pk == again.pk and first.reblog_id == made.pk
    made.refresh_from_db()
    assert made.reposts_count == 1
    services.undo_repost(author=cast["ben"], original=made.pk)
    made.refresh_from_db()
    assert made.reposts_count == 0 and Post.objects.count() == 1


def test_p2_repost_with_thoughts_embeds_the_original(cast):
    made = post(cast["ann"])
    quote = services.repost(author=cast["ben"], original=made.pk, text="Worth reading")
    assert quote.quote_id == made.pk and quote.reblog_id is None and "Worth reading" in quote.html
    services.delete(by=cast["ann"], post_id=made.pk)
    quote.refresh_from_db()
    assert quote.quote_id is None  # the thoughts stay


def test_p1_p2_repost_of_a_connections_post_is_refused(cast):
    connect(cast["ann"], cast["ben"])
    private = post(cast["ann"], "Only for connections", visibility="connections")
    with pytest.raises(Forbidden) as refused:
        services.repost(author=cast["ben"], original=private.pk)
    assert refused.value.message == services.REPOST_CONNECTIONS_ONLY


def test_f3_follow_and_unfollow_a_hashtag(cast):
    tag = services.follow_hashtag(member=cast["ann"], name="#Python")
    services.follow_hashtag(member=cast["ann"], name="python")
    assert list(queries.followed_hashtags(cast["ann"])) == [tag]
    services.unfollow_hashtag(member=cast["ann"], name="PYTHON")
    assert not queries.followed_hashtags(cast["ann"]).exists()
    with pytest.raises(Invalid):
        services.follow_hashtag(member=cast["ann"], name="not a tag")
