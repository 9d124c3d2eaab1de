"""The newsletter's tasks (Django's Tasks framework; django-tasks-db's `db_worker` runs them),
each defined beside the service it runs: the confirmation mail, a scheduled issue's start and
the clock in services.py, a sending lane's step in sending.py. Imported when the app is ready,
so every task and chain is known in every process."""

from .sending import issue_send_batch
from .services import clock_tick, issue_start, subscriber_mail

__all__ = ["clock_tick", "issue_send_batch", "issue_start", "subscriber_mail"]
