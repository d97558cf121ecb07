import pytest

from django_calendly.conf import calendly_settings


def test_defaults_when_nothing_is_set(monkeypatch):
    monkeypatch.delenv("CALENDLY_BASE_URL", raising=False)
    assert calendly_settings.BASE_URL == "https://api.calendly.com"
    assert calendly_settings.WEBHOOK_TOLERANCE == 180


def test_original_environment_variables_still_work(monkeypatch):
    monkeypatch.setenv("CALENDLY_BASE_URL", "http://127.0.0.1:9999")
    monkeypatch.setenv("CALENDLY_ACCESS_TOKEN", "env-token")
    monkeypatch.setenv("CALENDLY_CLIENT_ID", "cid")
    monkeypatch.setenv("CALENDLY_CLIENT_SECRET", "csecret")
    assert calendly_settings.BASE_URL == "http://127.0.0.1:9999"
    assert calendly_settings.ACCESS_TOKEN == "env-token"
    assert calendly_settings.CLIENT_ID == "cid"
    assert calendly_settings.CLIENT_SECRET == "csecret"


def test_django_setting_wins_over_environment(monkeypatch, settings):
    monkeypatch.setenv("CALENDLY_ACCESS_TOKEN", "env-token")
    settings.CALENDLY_ACCESS_TOKEN = "settings-token"
    assert calendly_settings.ACCESS_TOKEN == "settings-token"


def test_list_settings_accept_comma_separated_environment(monkeypatch):
    monkeypatch.setenv("CALENDLY_WEBHOOK_SIGNING_KEY", "old-key, new-key,,")
    assert calendly_settings.WEBHOOK_SIGNING_KEY == ["old-key", "new-key"]


def test_settings_are_read_when_used(settings):
    settings.CALENDLY_TIMEOUT = 3
    assert calendly_settings.TIMEOUT == 3.0
    settings.CALENDLY_TIMEOUT = 4
    assert calendly_settings.TIMEOUT == 4.0


def test_unknown_setting_is_an_attribute_error():
    with pytest.raises(AttributeError):
        calendly_settings.NOT_A_SETTING  # noqa: B018
