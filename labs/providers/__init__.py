"""Sandbox providers: one interface (base.Provider), chosen per lab by registry.pick()."""

from .base import Provider, ProviderError, Sandbox  # noqa: F401
from .registry import all_providers, get_provider, pick  # noqa: F401
