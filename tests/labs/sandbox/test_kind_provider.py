"""Without kind, the kind provider says so (the real kind lifecycle: tests/labs/kind/)."""

from labs.providers import get_provider


def test_kind_is_unavailable_without_the_kind_cli(settings):
    settings.LAB_KIND_BINARY = "no-such-kind-binary"
    ok, detail = get_provider("kind").available()
    assert ok is False
    assert "kind CLI" in detail
