"""Background work: django-tasks tasks, each a thin wrapper that calls one service.

Inline (ImmediateBackend) on the embedded default; the database queue and `linkwell
db_worker` when LINKWELL_TASKS=queue. Enqueue from services with transaction.on_commit.
"""
