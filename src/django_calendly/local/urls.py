"""Routes of the local read API, mounted at ``local/`` by ``django_calendly.urls``."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "scheduled-events/",
        views.LocalScheduledEventListView.as_view(),
        name="local-scheduled-events",
    ),
    path(
        "scheduled-events/<str:uuid>/",
        views.LocalScheduledEventDetailView.as_view(),
        name="local-scheduled-event",
    ),
    path("event-types/", views.LocalEventTypeListView.as_view(), name="local-event-types"),
]
