"""The newsroom's roles: Editor (everything in the newsroom) and Translator (own drafts)."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_APPS = ["articles", "flatpages", "redirects"]
TRANSLATOR_PERMISSIONS = [
    ("articles", "add_article"),
    ("articles", "change_article"),
    ("articles", "delete_article"),  # own drafts only: the admin and services check the owner
    ("articles", "view_article"),
    ("articles", "add_translation"),
    ("articles", "change_translation"),
    ("articles", "delete_translation"),
    ("articles", "view_translation"),
    ("articles", "view_category"),
    ("articles", "view_author"),
    ("articles", "view_source"),
    ("articles", "view_tag"),
    ("articles", "add_tag"),
]


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so the groups get them.
    for label in ["articles", "flatpages", "redirects", "auth", "contenttypes"]:
        create_permissions(global_apps.get_app_config(label), verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=EDITOR_APPS)
    )
    translator, _ = Group.objects.get_or_create(name="Translator")
    for app_label, codename in TRANSLATOR_PERMISSIONS:
        translator.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Translator"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_issue5_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("flatpages", "0001_initial"),
        ("redirects", "0002_alter_redirect_new_path_help_text"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
