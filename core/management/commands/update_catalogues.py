"""`linkwell update_catalogues`: extract every marked string into locale/<lang>/django.po.

makemessages with the house's options (core.catalogues.MAKEMESSAGES_OPTIONS), run from the
project root; needs GNU gettext (`apt-get install gettext`). Then translate and compile.
"""

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from core.catalogues import MAKEMESSAGES_OPTIONS


class Command(BaseCommand):
    help = "Extract the marked strings into every language's catalogue (needs xgettext)."

    def handle(self, *args, **options):
        languages = [code for code, _name in settings.LANGUAGES if code != "en"]
        os.chdir(settings.BASE_DIR)  # makemessages walks the current directory
        call_command("makemessages", locale=languages, **MAKEMESSAGES_OPTIONS)
