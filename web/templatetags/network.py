"""`{% degree_badge member %}`: D1's badge beside every member, one graph look-up per request."""

from django import template
from django.utils.html import format_html

from web.network.badges import viewpoint

register = template.Library()

LABELS = {1: "1st", 2: "2nd", 3: "3rd"}


@register.simple_tag(takes_context=True)
def degree_badge(context, member):
    request = context.get("request")
    if request is None:
        return ""
    return badge(viewpoint(request).degree(member))


@register.simple_tag
def badge(degree):
    """The badge for a degree already read (search's, which never rests on a hidden list)."""
    if degree not in LABELS:
        return ""
    return format_html(
        '<span class="degree-badge" title="{} degree connection">· {}</span>',
        LABELS[degree],
        LABELS[degree],
    )
