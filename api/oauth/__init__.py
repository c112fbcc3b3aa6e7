"""OAuth 2 as Mastodon clients expect it, on django-oauth-toolkit."""
