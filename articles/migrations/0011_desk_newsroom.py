"""The news desk (issue 19).

- Provenance keeps the original's time of day beside its date (the importer no longer drops it).
- Translators may add author profiles and source outlets (an editor merges duplicates later).
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

TRANSLATOR_MAY_ADD = [("articles", "add_author"), ("articles", "add_source")]


def translators_add_people(apps, schema_editor):
    create_permissions(global_apps.get_app_config("articles"), verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    translator = Group.objects.filter(name="Translator").first()
    if translator is None:
        return
    for app_label, codename in TRANSLATOR_MAY_ADD:
        translator.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def translators_add_no_people(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    translator = Group.objects.filter(name="Translator").first()
    if translator is not None:
        translator.permissions.remove(
            *translator.permissions.filter(codename__in=[c for _, c in TRANSLATOR_MAY_ADD])
        )


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0010_issue6_search_candidates'),
        ('articles', '0004_issue5_groups'),
    ]

    operations = [
        migrations.AddField(
            model_name='translation',
            name='original_published_time',
            field=models.TimeField(blank=True, help_text="When the source gives one, e.g. 09:30 (the newsroom's time zone).", null=True, verbose_name='original publication time'),
        ),
        migrations.RunPython(translators_add_people, translators_add_no_people),
    ]
