"""The web's one handler for a thing that isn't there for this viewer.

Queries raise `core.errors.NotFound` for an unknown or hidden member or post (B1, P1), the
same in every area; this middleware answers it with the site's 404 page, so a view never
decides it. The API has its own handler (api/api.py), which answers the JSON 404.
"""

from django.core.handlers.exception import response_for_exception
from django.http import Http404

from core.edge import answers_json
from core.errors import NotFound


class NotFoundAsPage:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound) and not answers_json(request.path_info):
            return response_for_exception(request, Http404(str(exception.message)))
        return None
