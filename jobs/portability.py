"""Issue 17's background work: reading an upload into staging rows and building an export,
each one call of portability.services (inline by default, a queue worker otherwise)."""

from django_tasks import task

from portability import services


@task()
def run_import(import_id: int) -> str:
    """Stage and match an upload (X1); the member confirms what is applied."""
    return services.run_import(import_id)


@task()
def build_export(export_id: int) -> str:
    """X2: the member's ZIP, downloadable by them for LINKWELL_EXPORT_DAYS."""
    return services.build_export(export_id)
