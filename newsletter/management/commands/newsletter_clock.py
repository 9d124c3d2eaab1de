from django.core.management.base import BaseCommand

from newsletter.services import clock_ensure


class Command(BaseCommand):
    help = (
        "Start the newsletter's clock on the task queue if it is not running (idempotent): it "
        "assembles and sends the daily issue and restarts stalled sends. `make run` and the "
        "compose worker run it before `db_worker`. Example: python manage.py newsletter_clock"
    )

    def handle(self, *args, **options):
        started = clock_ensure()
        if options["verbosity"]:
            state = "started" if started else "is running"
            self.stdout.write(f"Newsletter clock {state}.")
