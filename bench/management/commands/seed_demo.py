from django.core.management.base import BaseCommand, CommandError

from bench import demo


class Command(BaseCommand):
    help = (
        "Create synthetic demo articles (marked is_demo) in bulk, for load tests and demos; "
        "--clear removes them.\n"
        "Example: python manage.py seed_demo --articles 1000000"
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000, help="How many (default 1000).")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument(
            "--seed", type=int, default=None, help="Random seed, for repeatable runs."
        )
        parser.add_argument(
            "--clear", action="store_true", help="Delete the demo articles instead of adding."
        )
        parser.add_argument(
            "--pictures",
            type=int,
            default=0,
            help="Draw this many pictures; half the demo articles show one (default none).",
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]

        def out(line):
            if verbosity:
                self.stdout.write(line)
                self.stdout.flush()

        if options["clear"]:
            demo.clear_demo(out=out)
            return
        if options["articles"] < 1:
            raise CommandError("--articles must be at least 1.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        demo.seed_demo(
            articles=options["articles"],
            batch_size=options["batch_size"],
            seed=options["seed"],
            out=out,
            pictures=options["pictures"],
        )
