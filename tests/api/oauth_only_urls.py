"""A host that mounts only the webhook receiver and Connect Calendly, no REST endpoints."""

from django.urls import include, path

urlpatterns = [
    path("modules/calendly/", include(("django_calendly.webhooks.urls", "calendly"))),
    path("modules/calendly/", include(("django_calendly.oauth.urls", "calendly"))),
]
