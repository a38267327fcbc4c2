"""Request-size checks shared by the lab views."""


def body_larger_than(request, limit: int) -> bool:
    """True when the declared body exceeds `limit` bytes (or its length is unreadable).

    Checked from Content-Length before Django reads the body, so an oversized upload gets
    the view's Korean 413 instead of a bare 400 at DATA_UPLOAD_MAX_MEMORY_SIZE.
    """
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit
    except ValueError:
        return True
