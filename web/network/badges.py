"""The request's Viewpoint (network.queries), shared by every degree badge on a page."""

from network.queries import Viewpoint


def viewpoint(request) -> Viewpoint:
    found = getattr(request, "_network_viewpoint", None)
    if found is None:
        found = Viewpoint(getattr(request, "user", None))
        request._network_viewpoint = found
    return found
