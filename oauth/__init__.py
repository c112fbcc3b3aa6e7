"""OAuth clients and tokens as a domain of their own: apps, scopes, personal access tokens, the
apps a member authorised (U5). The HTTP endpoints that speak OAuth live in api/ and web/."""
