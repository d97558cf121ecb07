"""Only the REST API, mounted where the demo mounts it: the schema test validates our part."""

from django.urls import include, path

urlpatterns = [path("modules/calendly/", include(("django_calendly.api.urls", "calendly")))]
