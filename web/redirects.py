"""Where a form may send the member next: a path on this site, never another site."""

import unicodedata

from django.utils.http import url_has_allowed_host_and_scheme


def same_site_next(request, fallback: str = "") -> str:
    """The POSTed (else query) `next` when it is a path here; otherwise `fallback`.

    A path starts with one "/" and names no host: `//elsewhere`, `/\\elsewhere`, `https://…` and
    even this site's own absolute URL are refused, as is any control character (a newline would
    make the Location header a 500).
    """
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if is_same_site_path(candidate):
        return candidate
    return fallback


def is_same_site_path(url: str) -> bool:
    if not url.startswith("/") or url.startswith(("//", "/\\")):
        return False
    if any(unicodedata.category(char)[0] == "C" for char in url):
        return False
    return url_has_allowed_host_and_scheme(url, allowed_hosts=set())
