from django.core.checks import run_checks


def ids(**kwargs):
    return {m.id for m in run_checks(**kwargs) if m.id and m.id.startswith("calendly.")}


def test_missing_token_is_a_warning_not_a_crash(settings, monkeypatch):
    monkeypatch.delenv("CALENDLY_ACCESS_TOKEN", raising=False)
    settings.CALENDLY_ACCESS_TOKEN = ""
    assert "calendly.W001" in ids()


def test_configured_project_has_no_calendly_messages(settings):
    settings.CALENDLY_ACCESS_TOKEN = "tok"
    assert ids() == set()


def test_bad_base_url_is_an_error(settings):
    settings.CALENDLY_ACCESS_TOKEN = "tok"
    settings.CALENDLY_BASE_URL = "api.calendly.com"
    assert "calendly.E001" in ids()


def test_non_numeric_timeout_is_an_error(settings):
    settings.CALENDLY_ACCESS_TOKEN = "tok"
    settings.CALENDLY_TIMEOUT = "soon"
    assert "calendly.E002" in ids()


def test_insecure_webhooks_warn(settings):
    settings.CALENDLY_ACCESS_TOKEN = "tok"
    settings.CALENDLY_WEBHOOK_INSECURE = True
    assert "calendly.W002" in ids()


def test_client_id_without_secret_is_an_error(settings):
    settings.CALENDLY_ACCESS_TOKEN = "tok"
    settings.CALENDLY_CLIENT_ID = "cid"
    settings.CALENDLY_CLIENT_SECRET = ""
    assert "calendly.E003" in ids()


def test_unimportable_permission_class_is_an_error(settings):
    settings.CALENDLY_ACCESS_TOKEN = "tok"
    settings.CALENDLY_READ_PERMISSION_CLASSES = ["nowhere.Nothing"]
    assert "calendly.E004" in ids()


def test_bad_encryption_key_is_an_error(settings):
    settings.CALENDLY_ACCESS_TOKEN = "tok"
    settings.CALENDLY_ENCRYPTION_KEYS = ["not-a-fernet-key"]
    assert "calendly.E005" in ids()


def test_bad_oauth_redirect_uri_is_an_error(settings):
    settings.CALENDLY_ACCESS_TOKEN = "tok"
    settings.CALENDLY_OAUTH_REDIRECT_URI = "example.com/callback"
    assert "calendly.E001" in ids()


def test_oauth_scopes_lacking_what_features_need_warn_with_the_names(settings):
    settings.CALENDLY_ACCESS_TOKEN = "tok"
    settings.CALENDLY_CLIENT_ID = "cid"
    settings.CALENDLY_CLIENT_SECRET = "secret"
    assert ids() == set()  # the derived default covers every feature
    settings.CALENDLY_OAUTH_SCOPES = "users:read event_types:read"
    warnings = [m for m in run_checks() if m.id == "calendly.W003"]
    assert len(warnings) == 1
    assert "scheduled_events:read" in warnings[0].msg and "sync" in warnings[0].msg
    hint = warnings[0].hint or ""
    assert "scheduled_events:write" in hint and "webhooks:write" in hint
    # A :write covers its :read.
    settings.CALENDLY_OAUTH_SCOPES = (
        "users:read event_types:write scheduled_events:write webhooks:write availability:write "
        "organizations:write data_compliance:write locations:read scheduling_links:write "
        "shares:write"
    )
    assert ids() == set()


def test_no_scope_warning_without_oauth(settings):
    settings.CALENDLY_ACCESS_TOKEN = "tok"
    settings.CALENDLY_CLIENT_ID = ""
    settings.CALENDLY_OAUTH_SCOPES = "users:read"
    assert ids() == set()


def test_unknown_oauth_scope_is_an_error(settings):
    settings.CALENDLY_ACCESS_TOKEN = "tok"
    settings.CALENDLY_CLIENT_ID = "cid"
    settings.CALENDLY_CLIENT_SECRET = "secret"
    settings.CALENDLY_OAUTH_SCOPES = "users:read, scheduled_event:read"
    messages = [m for m in run_checks() if m.id == "calendly.E006"]
    assert len(messages) == 1 and "scheduled_event:read" in messages[0].msg


def test_unknown_app_token_fallback_is_an_error(settings):
    settings.CALENDLY_ACCESS_TOKEN = "tok"
    settings.CALENDLY_APP_TOKEN_FALLBACK = "all"
    assert "calendly.E010" in ids()
    settings.CALENDLY_APP_TOKEN_FALLBACK = "Everyone"  # case and blanks do not matter
    assert ids() == set()
