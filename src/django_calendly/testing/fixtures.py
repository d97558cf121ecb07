"""pytest fixtures for host projects: ``pytest_plugins = ["django_calendly.testing.fixtures"]``."""
