import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the local editor account (a superuser in the Editor group) with a random "
        "password, printed once. Does nothing if the account exists.\n"
        "Example: python manage.py ensure_editor --username editor"
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")
        parser.add_argument("--email", default="editor@localhost")

    def handle(self, *args, username, email, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Editor account “{username}” exists (password printed when made).")
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_superuser(username=username, email=email, password=password)
        group = Group.objects.filter(name="Editor").first()
        if group:
            user.groups.add(group)
        line = "=" * 60
        self.stdout.write(
            f"{line}\nLocal editor account for http://127.0.0.1:8000/admin/\n"
            f"  username: {username}\n  password: {password}\n"
            f"(shown once; reset with: python manage.py changepassword {username})\n{line}"
        )
