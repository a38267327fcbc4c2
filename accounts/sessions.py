"""Server-side checks for a signed-cookie session: each login gets an id; logout revokes it.

Pages trust the signed cookie (fast, no query). Anything that hands out credentials (the
lab kubeconfig) also asks the database whether this login has ended, so a cookie copied
before logout stops working for it.
"""

import secrets
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import timezone

from .models import RevokedLogin

LOGIN_ID = "kubaeum_login_id"


@receiver(user_logged_in)
def _stamp_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_ID] = secrets.token_urlsafe(24)


@receiver(user_logged_out)
def _revoke_login(sender, request, user, **kwargs):
    login_id = request.session.get(LOGIN_ID) if request is not None and hasattr(request, "session") else None
    if login_id and user is not None:
        RevokedLogin.objects.get_or_create(login_id=login_id, defaults={"user": user})
    # Entries older than any cookie can be are useless: forget them now and then.
    if secrets.randbelow(50) == 0:
        cutoff = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
        RevokedLogin.objects.filter(revoked_at__lt=cutoff).delete()


def is_live(request) -> bool:
    login_id = request.session.get(LOGIN_ID)
    return bool(login_id) and not RevokedLogin.objects.filter(login_id=login_id).exists()


def live_login_required(view):
    """For credential downloads: a login that logged out (or predates login ids) gets 403."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_live(request):
            return HttpResponse(
                "로그인이 끝난 세션입니다. 다시 로그인한 뒤 접속 파일을 내려받으세요.",
                status=403,
                content_type="text/plain; charset=utf-8",
            )
        return view(request, *args, **kwargs)

    return wrapper
