"""`post|post_links` and `handle|profile_url`: a post card's links without a reverse() each
(web/feed/cards.py)."""

from django import template
from django.template.defaulttags import CsrfTokenNode

from web.feed import cards

register = template.Library()
register.filter("post_links", cards.post_links)
register.filter("profile_url", cards.profile_url)


@register.simple_tag(takes_context=True)
def csrf_input(context):
    """`{% csrf_token %}`'s input, rendered once for a card's several forms."""
    return CsrfTokenNode().render(context)
