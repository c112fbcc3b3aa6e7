"""The web's one handler for a thing that isn't there for this viewer, and the site's 503.

Queries raise `core.errors.NotFound` for an unknown or hidden member or post (B1, P1), the
same in every area; this middleware answers it with the site's 404 page, so a view never
decides it. The API has its own handler (api/api.py), which answers the JSON 404.

`server_error` is the site's handler500: when the database can't be reached (PostgreSQL
restarting, a failover) it answers 503 with Retry-After, JSON under /api/ and a plain page on
the web, instead of "something went wrong"; the next request reconnects (CONN_HEALTH_CHECKS).
"""

import sys

from django.core.handlers.exception import response_for_exception
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

from core.edge import answers_json, answers_oauth
from core.errors import NotFound
from core.unavailable import DATABASE_UNAVAILABLE, RETRY_AFTER_SECONDS


class NotFoundAsPage:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound) and not answers_json(request.path_info):
            return response_for_exception(request, Http404(str(exception.message)))
        return None


def server_error(request):
    """handler500: a 503 while the database is unreachable, else Django's 500 page."""
    exception = sys.exc_info()[1]
    if not isinstance(exception, OperationalError | InterfaceError):
        return defaults.server_error(request)
    message = str(DATABASE_UNAVAILABLE)
    path = request.path_info
    if answers_oauth(path):
        response = JsonResponse(
            {"error": "temporarily_unavailable", "error_description": message}, status=503
        )
    elif answers_json(path):
        response = JsonResponse({"error": message}, status=503)
    else:
        body = loader.get_template("503.html").render({"message": message})
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
