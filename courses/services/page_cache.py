"""Whole lesson pages cached per student, so a reload costs a cache lookup, not a render.

The key holds everything the page depends on, so entries are never invalidated, only
missed: the student, the lesson, their CSRF cookie (the page embeds a token derived from
it), a progress version kept in their session (bumped when they answer or complete),
and the content version (the newest Course.updated_at, which every sync or authoring
change touches; re-read at most every CONTENT_VERSION_TTL seconds per process).
Progress made from another browser shows up here after at most PAGE_TTL seconds.

A hit skips loading the user: the key includes the session's user id and auth hash, and
an entry exists only if that very session was let through login_required when the page
was rendered. The trade-off: after a password change or deactivation, pages already
cached for the old session stay readable for up to PAGE_TTL seconds.
"""

import hashlib

from django.conf import settings
from django.contrib import auth
from django.core.cache import cache
from django.db.models import Max

from ..models import Course

PAGE_TTL = 60
CONTENT_VERSION_TTL = 2
SESSION_KEY = "courses:progress-version"


def content_version() -> float:
    version = cache.get("courses:content-version")
    if version is None:
        newest = Course.objects.aggregate(newest=Max("updated_at"))["newest"]
        version = newest.timestamp() if newest else 0.0
        cache.set("courses:content-version", version, CONTENT_VERSION_TTL)
    return version


def bump_progress(request) -> None:
    request.session[SESSION_KEY] = request.session.get(SESSION_KEY, 0) + 1


def session_user_id(request):
    return request.session.get(auth.SESSION_KEY)


def page_key(request, *parts) -> str | None:
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    user_id, auth_hash = session_user_id(request), request.session.get(auth.HASH_SESSION_KEY)
    # Not signed in, no CSRF cookie yet (the render sets one) or a pending flash
    # message: no cached page, render (or redirect to login) on the normal path.
    if (
        not (csrf and user_id and auth_hash)
        or "messages" in request.COOKIES
        or "_messages" in request.session
    ):
        return None
    session = (user_id, auth_hash, request.session.get(SESSION_KEY, 0))
    raw = "|".join(map(str, (*session, *parts, csrf, content_version())))
    return "courses:page:" + hashlib.sha256(raw.encode()).hexdigest()


def get(key):
    return cache.get(key) if key else None


def put(key, value) -> None:
    if key:
        cache.set(key, value, PAGE_TTL)


def forget_content_version() -> None:
    """In this process, see a content change at once (sync and authoring call this)."""
    cache.delete("courses:content-version")
