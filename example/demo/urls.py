import os

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from . import pages

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("modules/calendly/", include("django_calendly.urls")),
    # The demo's own pages (pages.py): log in, the account page, the booking page.
    path("login/", pages.DemoLoginView.as_view(), name="demo-login"),
    path("account/", pages.account, name="demo-account"),
    path("book/", pages.book, name="demo-book"),
]

if os.environ.get("DEMO_BENCH_BASELINE") == "1":  # bench/webhook_ingest.py only
    from .bench_views import baseline_receiver

    urlpatterns.append(path("bench/baseline/", baseline_receiver))
