"""Messaging setup through the services, so setup is itself behaviour."""

from tests.network.factories import connect, set_profile  # noqa: F401
