"""What the profile page shows of the viewer's relationship to a member (D1–D3, S2)."""

from django.conf import settings
from django.http import Http404

from accounts.models import User
from network import index, queries
from network.models import InvitationReason
from profiles.models import InvitationsFrom, PrimaryAction
from web.network.badges import viewpoint


def profile_panels(request, member, *, error: str = "", typed: dict | None = None) -> dict:
    """`net` for _profile_actions.html and _profile_network.html; Http404 across a block (B1).

    `typed` is what a refused invitation carried (note, reason, email): the form shows it again.
    """
    viewer = request.user
    if not viewer.is_authenticated or viewer.pk == member.pk:
        return {"net": None}
    view = viewpoint(request)
    rel = queries.relationship(viewer, member, view=view)
    if rel.blocking or rel.blocked_by:
        raise Http404("No member with that handle.")
    mutual_count, mutual_ids = view.mutuals(member, limit=3)
    faces = {u.pk: u for u in User.objects.filter(pk__in=mutual_ids).select_related("profile")}
    return {
        "net": {
            "rel": rel,
            "follow_first": member.profile.primary_action == PrimaryAction.FOLLOW,
            "mutual_count": mutual_count,
            "connection_count": view.index.connection_count(member.pk),
            "follower_count": queries.follower_count(member),
            "mutuals": [faces[i] for i in mutual_ids if i in faces],
            "paths": index.paths_for(viewer, member, view=view),
            "note_max": settings.LINKWELL_INVITATION_NOTE_MAX,
            "reasons": InvitationReason.choices,
            "email_required": member.profile.invitations_from == InvitationsFrom.EMAIL,
            "error": error,
            "typed": typed or {},
        }
    }
