"""OAuth 2 over HTTP as Mastodon clients expect it (django-oauth-toolkit views).

The domain (apps, scopes, tokens) is the oauth area: oauth/.
"""
