"""pytest plugin loaded before Django: defaults that make the suite run over plain http."""

import os

os.environ.setdefault("LINKWELL_HTTPS", "off")
os.environ.setdefault("LINKWELL_REQUIRE_EMAIL_CONFIRMATION", "on")
