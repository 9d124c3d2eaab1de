import os
import subprocess  # nosec B404: re-runs this same command against a scratch database
import sys
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from articles import seed

SCRATCH_FLAG = "DIGEST_SCRATCH_BUILD"


class Command(BaseCommand):
    help = (
        "Regenerate fixtures/*.json from the seed documents in fixtures/sources/ with the "
        "importer's parsers, in a scratch in-memory database (your database is not touched).\n"
        "Example: python manage.py build_fixtures   (or --output /tmp/fixtures to compare)"
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(seed.FIXTURES_DIR), help="Folder to write.")
        parser.add_argument("--sources", default=str(seed.SOURCES_DIR), help="Seed documents.")

    def handle(self, *args, output, sources, **options):
        if not os.environ.get(SCRATCH_FLAG):
            # A fresh database every time, so the ids and the output never depend on what
            # the developer's own database holds.
            env = {
                **os.environ,
                SCRATCH_FLAG: "1",
                "DATABASE_URL": "sqlite://:memory:",
                # The documents' dates are the newsroom's local dates.
                "TIME_ZONE": "Asia/Baku",
            }
            argv = [sys.executable, sys.argv[0] if sys.argv[0].endswith("manage.py") else
                    str(Path(seed.__file__).resolve().parent.parent / "manage.py"),
                    "build_fixtures", "--output", output, "--sources", sources]  # fmt: skip
            result = subprocess.run(argv, env=env, check=False)  # noqa: S603  # nosec B603
            if result.returncode:
                raise CommandError("building the fixtures failed (see above)")
            return
        call_command("migrate", verbosity=0, interactive=False)
        files = seed.build(Path(sources))
        out = Path(output)
        out.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (out / name).write_text(text, encoding="utf-8")
            if options["verbosity"]:
                self.stdout.write(f"wrote {out / name}")
