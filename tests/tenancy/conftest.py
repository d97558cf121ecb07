from tests.webhooks.conftest import recorder

__all__ = ["recorder"]  # the fixture, used here by name
