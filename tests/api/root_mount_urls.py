"""A host that mounts the app at the root, with pages of its own after the include."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def host_page(request: HttpRequest, name: str = "home") -> HttpResponse:
    return HttpResponse(f"host {name}", content_type="text/plain")


urlpatterns = [
    path("", include("django_calendly.urls")),
    path("pricing/", host_page, {"name": "pricing"}),
    path("blog/<slug:slug>/", lambda request, slug: host_page(request, slug)),
    path("", host_page),
]
