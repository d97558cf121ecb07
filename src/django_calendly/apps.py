from django.apps import AppConfig


class CalendlyConfig(AppConfig):
    name = "django_calendly"
    label = "calendly"
    verbose_name = "Calendly"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the system checks; importing them has no side effect beyond that.
        from . import checks  # noqa: F401
        from .logs import install

        # No query string, email or token reaches a log handler (httpx logs full URLs).
        install()
