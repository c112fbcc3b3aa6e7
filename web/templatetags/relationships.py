"""`{% catch_up_count %}`: A3's count in My Network's "Catch up" tab, the viewer's own."""

from django import template

from relationships import queries

register = template.Library()


@register.simple_tag(takes_context=True)
def catch_up_count(context):
    if "catch_up_count" in context:
        return context["catch_up_count"]
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return 0
    return queries.prompt_count(request.user)
