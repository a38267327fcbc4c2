"""The one reading of a request's declared body size, for the site-wide guard and the views
with smaller limits of their own: both must agree on what an unreadable length means."""


def declared_length(request) -> int | None:
    """Content-Length as a number; 0 when absent; None when it is not a valid length."""
    raw = request.META.get("CONTENT_LENGTH") or "0"
    try:
        size = int(raw)
    except ValueError:
        return None
    return size if size >= 0 else None


def body_larger_than(request, limit: int) -> bool:
    """True when the declared body exceeds `limit` bytes, or its length is unreadable.

    Checked before Django reads the body, so an oversized upload gets the view's Korean
    413 instead of a bare 400 at DATA_UPLOAD_MAX_MEMORY_SIZE.
    """
    size = declared_length(request)
    return size is None or size > limit
