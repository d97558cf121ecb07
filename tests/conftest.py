pytest_plugins = ["django_calendly.testing.fixtures"]
