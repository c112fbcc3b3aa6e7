"""`{% degree_badge member %}`: D1's badge beside every member, one graph look-up per request."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from web.network.badges import viewpoint

register = template.Library()

# German LinkedIn's badges read "1.", "2.", "3." and "Kontakt 2. Grades".
LABELS = {
    1: pgettext_lazy("degree badge", "1st"),
    2: pgettext_lazy("degree badge", "2nd"),
    3: pgettext_lazy("degree badge", "3rd"),
}
TITLES = {
    1: _("1st degree connection"),
    2: _("2nd degree connection"),
    3: _("3rd degree connection"),
}


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
        '<span class="degree-badge" title="{}">· {}</span>',
        TITLES[degree],
        LABELS[degree],
    )
