import os

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("modules/calendly/", include("django_calendly.urls")),
]

if os.environ.get("DEMO_BENCH_BASELINE") == "1":  # bench/webhook_ingest.py only
    from .bench_views import baseline_receiver

    urlpatterns.append(path("bench/baseline/", baseline_receiver))
