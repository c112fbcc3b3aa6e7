"""Feed setup through the services, so setup is itself behaviour."""

from feed import services
from tests.network.factories import connect, set_profile  # noqa: F401


def post(author, text="Hello network", **kwargs):
    return services.publish(author=author, text=text, **kwargs)
