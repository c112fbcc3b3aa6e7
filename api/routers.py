"""(prefix, router) pairs mounted on the API; each context adds its own line."""

from api import accounts, applications, instance
from api.network import router as network_router

ALL: list = [
    ("", instance.router),
    ("/v1/apps", applications.router),
    ("/v1/accounts", accounts.router),
    ("/v1", network_router),
]
