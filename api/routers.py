"""(prefix, router) pairs mounted on the API; each context adds its own line."""

ALL: list = []
