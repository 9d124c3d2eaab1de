"""Files readers download from an article (PDF, Office documents, audio): the Files library
(`Document`, articles/desk_models.py). Editors hold every permission on it, as on every model
of the newsroom; translators may upload and view files, as they may images (0011)."""

import django.db.models.deletion
import django.utils.timezone
from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

TRANSLATOR_MAY = ["add_document", "view_document"]


def newsroom_may_use_files(apps, schema_editor):
    create_permissions(global_apps.get_app_config("articles"), verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    documents = Permission.objects.filter(
        content_type__app_label="articles", content_type__model="document"
    )
    editor = Group.objects.filter(name="Editor").first()
    if editor is not None:
        editor.permissions.add(*documents)
    translator = Group.objects.filter(name="Translator").first()
    if translator is not None:
        translator.permissions.add(*documents.filter(codename__in=TRANSLATOR_MAY))


def newsroom_may_not_use_files(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=["Editor", "Translator"]):
        group.permissions.remove(
            *group.permissions.filter(
                content_type__app_label="articles", content_type__model="document"
            )
        )


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0021_status_newest_first_index'),
        ('articles', '0004_issue5_groups'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Document',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(upload_to='files/%Y/%m/')),
                ('title', models.CharField(help_text="What the file is, as a reader would call it, e.g. “Energy report, first quarter 2024”. Taken from the file's name when left empty.", max_length=300)),
                ('content_type', models.CharField(editable=False, help_text='The type its content has (e.g. application/pdf), whatever its name said.', max_length=100, verbose_name='kind')),
                ('size', models.PositiveBigIntegerField(default=0, editable=False, help_text='In bytes.')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('uploaded_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='uploaded_documents', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'file',
                'verbose_name_plural': 'files',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.RunPython(newsroom_may_use_files, newsroom_may_not_use_files),
    ]
