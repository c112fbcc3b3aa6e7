"""What the profile page shows of the viewer's relationship to a member (D1–D3, S2).

Callers found the member through `network.queries.visible_member`, so a member blocked either
way never gets here (B1).
"""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from membership import queries as membership_queries
from messaging import queries as messaging
from network import queries
from network.models import InvitationReason
from profiles.models import InvitationsFrom, PrimaryAction
from web.network.badges import viewpoint


def profile_panels(
    request, member, *, error: str = "", typed: dict | None = None, counts=None
) -> dict:
    """`net` for _profile_actions.html and _profile_network.html.

    `typed` is what a refused invitation carried (note, reason, email): the form shows it
    again. `counts`: the member's counts as the viewer sees them (`ProfileView.counts`), read
    here through the same door when the caller has none.
    """
    viewer = request.user
    if not viewer.is_authenticated or viewer.pk == member.pk:
        return {"net": None}
    view = viewpoint(request)
    if counts is None:
        counts = membership_queries.visible_profile(viewer, member=member, view=view).counts
    rel = queries.relationship(viewer, member, view=view)
    mutual_count, mutuals, paths = queries.mutuals_and_paths(viewer, member, view=view)
    return {
        "net": {
            "rel": rel,
            "follow_first": member.profile.primary_action == PrimaryAction.FOLLOW,
            "mutual_count": mutual_count,
            "counts": counts,
            "mutuals": mutuals,
            "paths": paths,
            "note_max": settings.LINKWELL_INVITATION_NOTE_MAX,
            "reasons": InvitationReason.choices,
            "email_required": member.profile.invitations_from == InvitationsFrom.EMAIL,
            "error": error,
            "typed": typed or {},
            # M1–M6: the Message button's route, read only when the template asks (it does
            # not for a connection, whose button needs no route)
            "message": SimpleLazyObject(
                lambda: messaging.can_message(viewer, member, relationship=rel)
            ),
        }
    }
