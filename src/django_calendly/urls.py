"""URLs of the app; mount them with ``path("modules/calendly/", include("django_calendly.urls"))``."""

from django.urls import include, path

app_name = "calendly"

urlpatterns: list = [
    # Each layer owns its routes: api/ (REST endpoints, schema, local read API), webhooks/.
    path("", include("django_calendly.api.urls")),
    path("", include("django_calendly.webhooks.urls")),
    path("local/", include("django_calendly.local.urls")),
    path("", include("django_calendly.oauth.urls")),
]
