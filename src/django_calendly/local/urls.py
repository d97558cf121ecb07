"""Routes of the local read API, mounted at ``local/`` by ``django_calendly.urls``."""

from django.urls import path

from .views import (
    LocalEventTypeListView,
    LocalScheduledEventDetailView,
    LocalScheduledEventListView,
)

urlpatterns = [
    path(
        "scheduled-events/",
        LocalScheduledEventListView.as_view(),
        name="local-scheduled-events",
    ),
    path(
        "scheduled-events/<str:uuid>/",
        LocalScheduledEventDetailView.as_view(),
        name="local-scheduled-event",
    ),
    path("event-types/", LocalEventTypeListView.as_view(), name="local-event-types"),
]
