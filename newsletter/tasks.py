"""The newsletter's tasks (Django's Tasks framework; django-tasks-db's `db_worker` runs
them). Each is a thin shell over a service or the sending engine."""

from django.tasks import task

from . import chains


@task(priority=10)
def subscriber_mail(subscriber_id, kind):
    """The confirmation e-mail or the "already subscribed" note."""
    from .models import Subscriber
    from .services import subscriber_mail_send

    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is not None:
        subscriber_mail_send(subscriber=subscriber, kind=kind)


@task(priority=5)
def issue_start(issue_id):
    """A scheduled issue's time has come (a no-op if it was rescheduled or sent)."""
    from django.utils import timezone

    from .models import Issue
    from .services import issue_send

    issue = Issue.objects.filter(pk=issue_id, status=Issue.Status.SCHEDULED).first()
    if issue is not None and issue.send_at and issue.send_at <= timezone.now():
        issue_send(issue=issue)


@task()
def issue_send_batch(issue_id, lane, generation):
    """One step of a sending lane (newsletter/sending.py)."""
    from .sending import lane_run

    return lane_run(issue_id=issue_id, lane=lane, generation=generation)


@task(priority=20)
def clock_tick(generation):
    """The newsletter's clock: one tick, then the next (newsletter/chains.py)."""
    from .services import clock_run

    if not chains.chain_beat(chains.CLOCK, generation):
        return "superseded"
    delay = clock_run()
    chains.chain_continue(chains.CLOCK, generation, clock_tick, delay=delay)
    return f"next tick in {delay:.0f} s"
