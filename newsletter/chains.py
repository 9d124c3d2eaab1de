"""Self-continuing chains of tasks that survive a worker killed with SIGKILL.

django-tasks-db leaves the task a killed worker was running marked "running" forever, and
never runs it again. So the newsletter's long jobs (the clock, each sending lane of an issue)
are chains of short tasks, each enqueueing the next, and each chain keeps a row (`Chain`)
with its generation and the time by which its next task promised to beat. Whoever looks (the
clock, the other lanes, `manage.py newsletter_clock`) restarts a chain that missed its beat
under a new generation; a late task of the old generation then finds itself superseded and
stops, so a chain never runs twice in parallel.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Chain

CLOCK = "clock"
# The task of each chain that must be revived from elsewhere (the clock, by the lanes).
_tasks = {}


def chain_register(key, task):
    _tasks[key] = task


def chain_task(key):
    return _tasks[key]


def lane_key(issue_id, lane):
    return f"issue-{issue_id}-lane-{lane}"


def _lease():
    return timedelta(seconds=settings.NEWSLETTER_LEASE_SECONDS)


def _enqueue(task, args, generation, delay):
    if delay > 0:
        task = task.using(run_after=timezone.now() + timedelta(seconds=delay))
    task.enqueue(*args, generation=generation)


def chain_start(key, task, *args, delay=0):
    """Start the chain *key* (or take it over): a new generation and its first task."""
    with transaction.atomic():
        chain, _ = Chain.objects.select_for_update().get_or_create(key=key)
        chain.generation += 1
        chain.beat_due = timezone.now() + timedelta(seconds=delay) + _lease()
        chain.save(update_fields=["generation", "beat_due"])
        _enqueue(task, args, chain.generation, delay)
    return chain.generation


def chain_beat(key, generation, *, delay=0):
    """The task of *generation* is alive and will beat again within *delay* seconds plus
    the lease; False when a newer generation took the chain over (stop then)."""
    due = timezone.now() + timedelta(seconds=delay) + _lease()
    return Chain.objects.filter(key=key, generation=generation).update(beat_due=due) == 1


def chain_continue(key, generation, task, *args, delay=0):
    """Enqueue the chain's next task in *delay* seconds, unless the chain was taken over."""
    with transaction.atomic():
        if chain_beat(key, generation, delay=delay):
            _enqueue(task, args, generation, delay)
            return True
    return False


def chain_stop(key):
    """Let the chain end: its next task, if any, finds itself superseded."""
    Chain.objects.filter(key=key).update(generation=F("generation") + 1)


def chain_revive(key, task, *args):
    """Start the chain *key* again if it missed its beat (or never started); True if so.
    Safe to call from many places at once: one of them wins."""
    now = timezone.now()
    chain = Chain.objects.filter(key=key).first()
    if chain is None:
        chain_start(key, task, *args)
        return True
    if chain.beat_due > now:
        return False
    with transaction.atomic():
        taken = Chain.objects.filter(
            key=key, generation=chain.generation, beat_due__lte=now
        ).update(generation=chain.generation + 1, beat_due=now + _lease())
        if taken:
            _enqueue(task, args, chain.generation + 1, 0)
    return bool(taken)
