from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models import Field, ForeignObject

        from core.lookups import Among

        Field.register_lookup(Among)
        ForeignObject.register_lookup(Among)  # relations keep lookups of their own
