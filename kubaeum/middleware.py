"""Site-wide request guards that must run before any middleware reads the body."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string

from .request_size import declared_length


class RefuseOversizedBodies:
    """A body declared larger than DATA_UPLOAD_MAX_MEMORY_SIZE gets a Korean 413 at once,
    and an unreadable Content-Length a Korean 400.

    Without this, CsrfViewMiddleware reads request.POST first and Django answers a bare
    400; views with smaller limits of their own still check them (kubaeum/request_size.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        size = declared_length(request)
        if size is None:
            return HttpResponseBadRequest(render_to_string("400.html", request=request))
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and size > limit:
            return HttpResponse(
                render_to_string("413.html", {"limit_mb": limit // (1024 * 1024)}), status=413
            )
        return self.get_response(request)
