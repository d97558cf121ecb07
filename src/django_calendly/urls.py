"""URLs of the app.

Mount them with ``path("modules/calendly/", include("django_calendly.urls"))``.
"""

from django.urls import include, path

app_name = "calendly"

urlpatterns: list = [
    # Each layer owns its routes: the REST endpoints with the schema, the webhook receiver,
    # the local read API over the mirror, and Connect Calendly.
    path("", include("django_calendly.api.urls")),
    path("", include("django_calendly.webhooks.urls")),
    path("local/", include("django_calendly.local.urls")),
    path("", include("django_calendly.oauth.urls")),
]
