from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .roles import is_instructor


def instructor_required(view):
    """Logged-out users go to the login page; logged-in students get 403."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_instructor(request.user):
            raise PermissionDenied("강사만 사용할 수 있는 기능입니다.")
        return view(request, *args, **kwargs)

    return wrapper
