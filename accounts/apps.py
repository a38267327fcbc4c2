from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "계정"

    def ready(self):
        from . import sessions  # noqa: F401  login ids and their revocation (signal receivers)
