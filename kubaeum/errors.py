"""One user-facing error type, turned into a response in one place.

Services raise a `UserError` subclass (in Korean, for the student or instructor to read)
and never build HTTP responses themselves. A view that shows the message inside its own
page fragment catches `UserError` once and calls `render_user_error`; anything a view does
not catch is answered by `UserErrorMiddleware` with the generic error page (or, for htmx,
the bare message) and the error's status, never a 500.
"""

from django.shortcuts import render


class UserError(Exception):
    """Something the user asked for cannot happen (now); `str(exc)` says why, in Korean."""

    status = 400

    def __init__(self, message: str = "", status: int | None = None):
        super().__init__(message)
        if status is not None:
            self.status = status

    @property
    def message(self) -> str:
        return str(self)

    def context(self) -> dict:
        """Extra template context the error carries (e.g. the YAML line at fault)."""
        return {}


class NotFound(UserError):
    """The object does not exist, or belongs to someone else (the same answer for both, so
    ids of other people's objects reveal nothing)."""

    status = 404


def render_user_error(request, template: str, context: dict, exc: UserError, key: str = "error"):
    return render(request, template, {**context, key: exc.message, **exc.context()}, status=exc.status)


class UserErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, UserError):
            return None
        if getattr(request, "htmx", False):
            return render(request, "user_error.html", {"message": exception.message}, status=exception.status)
        return render(request, "courses/error.html", {"message": exception.message}, status=exception.status)
