"""A host project with an API of its own beside the app (see test_schema.py)."""

from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView


class HostInternalView(APIView):
    def get(self, request):  # type: ignore[no-untyped-def]
        return Response({})


urlpatterns = [
    path("internal/secret-reports/", HostInternalView.as_view()),
    path("integrations/calendly/", include("django_calendly.urls")),
]
