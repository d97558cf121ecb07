import pytest

pytest_plugins = ["django_calendly.testing.fixtures"]


@pytest.fixture(autouse=True)
def _fresh_rate_limit_budget():
    from django_calendly.services.ratelimit import forget_storages

    forget_storages()
    yield
