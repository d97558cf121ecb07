"""A host that mounts the app at the root before routes starting with the app's segments."""

from django.urls import include, path

from .root_mount_urls import host_page

urlpatterns = [
    path("", include("django_calendly.urls")),
    path("docs/", host_page, {"name": "docs"}),
    path("user/profile/", host_page, {"name": "profile"}),
    path("pricing/", host_page, {"name": "pricing"}),
]
