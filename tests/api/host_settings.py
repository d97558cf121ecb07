"""A host project that never configured drf-spectacular (DRF's DEFAULT_SCHEMA_CLASS), with an
API of its own beside the app mounted under another prefix (see test_schema.py)."""

from tests.settings import *  # noqa: F403

REST_FRAMEWORK = {
    key: value
    for key, value in REST_FRAMEWORK.items()  # noqa: F405
    if key != "DEFAULT_SCHEMA_CLASS"
}
ROOT_URLCONF = "tests.api.host_urls"
