from django.core.management import call_command
from django.core.management.base import BaseCommand

from articles import seed
from articles.models import Article, Category


class Command(BaseCommand):
    help = (
        "Load the seed fixtures, only into a database with no categories or articles yet.\n"
        "Example: python manage.py load_seed"
    )

    def handle(self, *args, **options):
        if Category.objects.exists() or Article.objects.exists():
            self.stdout.write("The database already has content; seed fixtures not loaded.")
            return
        call_command(
            "loaddata",
            *[str(seed.FIXTURES_DIR / name) for name in seed.FIXTURE_FILES],
            verbosity=options["verbosity"],
        )
        # Fixtures load row by row, past the saving services: index their text for search.
        Article.objects.all().refresh_search_index()
