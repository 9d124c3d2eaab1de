from django.apps import AppConfig


class DigestConfig(AppConfig):
    """The project's own wiring: its system checks (digest/checks.py)."""

    name = "digest"
    label = "digest"
    verbose_name = "Digest"

    def ready(self):
        from . import checks  # noqa: F401  (registers them)
