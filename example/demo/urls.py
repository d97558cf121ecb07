from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("modules/calendly/", include("django_calendly.urls")),
]
