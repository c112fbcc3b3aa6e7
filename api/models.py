"""The `api` app label holds OAuth's tables; their code is the oauth area's (oauth/models.py)."""

from oauth.models import RedeemedCode, Registration

__all__ = ["RedeemedCode", "Registration"]
