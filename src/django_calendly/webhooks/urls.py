"""Receiver routes. ``webhook-url/`` is the path the original module told people to subscribe;
both answer with and without the trailing slash (Calendly does not follow redirects)."""

from django.urls import re_path

from . import views

urlpatterns = [
    re_path(r"^webhook/?$", views.receive_webhook, name="webhook"),
    re_path(r"^webhook-url/?$", views.receive_webhook, name="webhook-url"),
]
