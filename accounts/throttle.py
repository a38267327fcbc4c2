"""Login and sign-up rate limits (django-ratelimit, counted in Redis across processes/hosts)."""

import logging

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

log = logging.getLogger(__name__)


def _over(request, group: str, key: str, rate: str) -> bool:
    try:
        return is_ratelimited(request, group=group, key=key, rate=rate, method="POST", increment=True)
    except Exception:  # Redis down: let people log in rather than lock everyone out
        log.warning("rate limit store unavailable; %s not limited", group, exc_info=True)
        return False


def login_limited(request) -> bool:
    # Per account (guessing one password) and per address (trying many accounts); a whole
    # classroom behind one NAT address still fits the per-address rate.
    by_user = _over(request, "login-user", "post:username", settings.LOGIN_RATE_PER_USER)
    by_ip = _over(request, "login-ip", "ip", settings.LOGIN_RATE_PER_IP)
    return by_user or by_ip


def signup_limited(request) -> bool:
    return _over(request, "signup-ip", "ip", settings.SIGNUP_RATE_PER_IP)


def too_many(request, what: str):
    response = render(request, "429.html", {"what": what}, status=429)
    response["Retry-After"] = "60"
    return response


def busy(request):
    response = render(request, "503_login.html", status=503)
    response["Retry-After"] = "10"
    return response
