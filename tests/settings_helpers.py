"""Settings helpers for session-scoped fixtures."""

from django.conf import UserSettingsHolder, settings


def set_for_the_whole_run(name: str, value) -> None:
    """Set a setting on Django's base settings, not only on the current override layer.

    A session-scoped fixture is first created inside some test, often one that uses
    pytest-django's `settings` fixture: a plain assignment would land in that test's
    override layer and vanish at its teardown, and later tests would silently see the
    old value (for the cluster: look for another cluster).
    """
    layer = settings._wrapped  # type: ignore[misc]  # LazySettings' wrapped object; the stubs omit it
    while isinstance(layer, UserSettingsHolder):
        setattr(layer, name, value)
        layer = layer.default_settings
    setattr(layer, name, value)
