"""Which providers exist, and which one serves a given lab."""

from django.conf import settings
from django.utils.module_loading import import_string

from .base import Provider, ProviderError

PROVIDERS = {
    "namespace": "labs.providers.namespace.NamespaceProvider",
    "kwok": "labs.providers.kwok.KwokProvider",
    "kind": "labs.providers.kind.KindProvider",
}
_instances: dict[str, Provider] = {}


def get_provider(name: str) -> Provider:
    if name not in PROVIDERS:
        raise ProviderError(f"알 수 없는 실습 환경 제공자입니다: {name}")
    if name not in _instances:
        _instances[name] = import_string(PROVIDERS[name])()
    return _instances[name]


def all_providers() -> list[Provider]:
    return [get_provider(name) for name in PROVIDERS]


def pick(lab) -> Provider:
    """The default provider if it can serve the lab, else the first available one that can."""
    order = [settings.LAB_DEFAULT_PROVIDER] + [n for n in PROVIDERS if n != settings.LAB_DEFAULT_PROVIDER]
    capable = [get_provider(n) for n in order if get_provider(n).can_serve(lab)]
    for provider in capable:
        if provider.available()[0]:
            return provider
    if capable:
        raise ProviderError(f"이 실습에 필요한 환경({capable[0].label})을 이 서버에서 사용할 수 없습니다.")
    raise ProviderError("이 실습에 맞는 실습 환경 제공자가 없습니다.")
