from django.urls import path

from . import views

urlpatterns = [
    path("oauth/connect/", views.connect, name="oauth-connect"),
    path("oauth/callback/", views.callback, name="oauth-callback"),
    path("oauth/disconnect/", views.disconnect, name="oauth-disconnect"),
    path("oauth/status/", views.status, name="oauth-status"),
]
