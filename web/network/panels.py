"""What the profile page shows of the viewer's relationship to a member (filled by network)."""


def profile_panels(request, member) -> dict:
    return {}
