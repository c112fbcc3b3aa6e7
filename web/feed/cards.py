"""A post card's links and labels, formed from URL patterns reversed once per process.

`{% url %}` reversed each of a card's ~15 links on every render: 340 reversals for a home
page of 20 posts, a third of its template time (docs/benchmarks.md, branch `home-speed`).
Presentation only: which links a card shows stays in the templates.
"""

from urllib.parse import quote

from django.urls import get_script_prefix, get_urlconf, reverse

from feed.models import ReactionType

# A number no route holds otherwise: reversed in its place, it marks where an id goes.
_SLOT = "7153915233"
# The characters reverse() leaves unquoted in a path (django.urls.resolvers).
_SAFE = "!$&'()*+,;=/~:@"
_formed: dict[tuple, dict[str, tuple[str, str]]] = {}

# The links of one post (the route names of web/feed/urls.py), by the names templates use.
POST_ROUTES = {
    "detail": "post_detail",
    "react": "post_react",
    "unreact": "post_unreact",
    "comment": "post_comment",
    "repost": "post_repost",
    "unrepost": "post_unrepost",
    "edit": "post_edit",
    "delete": "post_delete",
    "reactors": "post_reactors",
}


def _forms() -> dict[str, tuple[str, str]]:
    """Each route's URL before and after its one argument, as reverse() writes it (the
    script prefix and URLconf of this request included)."""
    key = (get_script_prefix(), get_urlconf())
    found = _formed.get(key)
    if found is None:
        found = {}
        for name in (*POST_ROUTES.values(), "profile"):
            head, slot, tail = reverse(name, args=[_SLOT]).partition(_SLOT)
            assert slot, name
            found[name] = (head, tail)
        _formed[key] = found
    return found


def post_links(post) -> dict[str, str]:
    """Every link a card of this post may show (kept on the post: its card and its actions
    both ask). A dict, so a template's `links.react` is found at its first try."""
    found = post.__dict__.get("_card_links")
    if found is None:
        pk = str(post.pk)
        forms = _forms()
        found = {"pk": pk}  # the id as text: an int is localised at each use
        for key, name in POST_ROUTES.items():
            head, tail = forms[name]
            found[key] = head + pk + tail
        post.__dict__["_card_links"] = found
    return found


def profile_url(handle: str) -> str:
    """`{% url 'profile' handle %}`, quoted the same way."""
    head, tail = _forms()["profile"]
    return head + quote(str(handle), safe=_SAFE) + tail


def reaction_choices() -> list[tuple[str, str]]:
    """P2's six reactions with their labels translated once for the page, not once per card
    (the lazy labels were translated 12 times per card)."""
    return [(value, str(label)) for value, label in ReactionType.choices]
