class RetryLater(Exception):
    """A transient failure: the session went back to `requested`; the task retries."""
