"""Site-wide request guards that must run before any middleware reads the body."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string


class RefuseOversizedBodies:
    """A body declared larger than DATA_UPLOAD_MAX_MEMORY_SIZE gets a Korean 413 at once.

    Without this, CsrfViewMiddleware reads request.POST first and Django answers a bare
    400; views with smaller limits of their own still check them (labs/views/limits.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0  # Django's own parsing rejects a malformed length
        if limit is not None and size > limit:
            return HttpResponse(
                render_to_string("413.html", {"limit_mb": limit // (1024 * 1024)}), status=413
            )
        return self.get_response(request)
