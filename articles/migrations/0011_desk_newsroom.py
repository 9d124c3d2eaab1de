"""The news desk (issue 19).

- Provenance keeps the original's time of day beside its date (the importer no longer drops it).
- Translators may add author profiles and source outlets (an editor merges duplicates later),
  and images for article bodies.
- Private autosaves, the soft editing lock and body images (articles/desk_models.py).
- The admin's search folds diacritics and transliterations (`articles.text.fold_for_search`).
  PostgreSQL gets the same folding as the SQL function `articles_fold` (built here from the
  Python table; tests/test_editor_finds_any_spelling.py checks the two agree), a function of
  an article's folded words, and two indexes: a GIN index over those words (a word's beginning
  in the title, standfirst or body, any spelling) and a trigram index on the folded title (a
  fragment of it). Where pg_trgm cannot be created the fragment search goes without its index.
  SQLite runs the Python function under the same name (`articles.querysets`).
"""

import sys

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import DatabaseError, transaction

from articles.text import fold_sql_expression

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

TRANSLATOR_MAY_ADD = [
    ("articles", "add_author"),
    ("articles", "add_source"),
    ("articles", "add_image"),
    ("articles", "view_image"),
]


def translators_add_people(apps, schema_editor):
    create_permissions(global_apps.get_app_config("articles"), verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor = Group.objects.filter(name="Editor").first()
    if editor is not None:
        # Editors hold every permission of the newsroom, the new models' too.
        editor.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="articles",
                content_type__model__in=["image", "articleautosave", "editinglock"],
            )
        )
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


FOLD_FUNCTION = f"""
CREATE OR REPLACE FUNCTION articles_fold(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT {fold_sql_expression("normalize(value, NFC)")} $$;

-- The folding written out again (not a call of articles_fold): a restore (pg_restore) builds
-- the index with an empty search_path, where a call of another function of ours is not found.
CREATE OR REPLACE FUNCTION articles_folded_document(title text, standfirst text, body text)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT to_tsvector('simple'::regconfig, {fold_sql_expression(
    "normalize(coalesce(title, '') || ' ' || coalesce(standfirst, '') || ' ' || "
    "coalesce(body, ''), NFC)"
)}) $$;
"""
FOLDED_TEXT_INDEX = (
    "CREATE INDEX IF NOT EXISTS article_folded_text_idx ON articles_article "
    "USING gin (articles_folded_document(title, standfirst, body))"
)
FOLDED_TITLE_INDEX = (
    "CREATE INDEX IF NOT EXISTS article_title_fold_trgm_idx ON articles_article "
    "USING gin (articles_fold(title) gin_trgm_ops)"
)


def folding_forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FOLD_FUNCTION)
    schema_editor.execute(FOLDED_TEXT_INDEX)
    try:
        with transaction.atomic():
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(FOLDED_TITLE_INDEX)
    except DatabaseError as error:
        first_line = str(error).strip().splitlines()[0]
        sys.stderr.write(
            f"\n  Warning: no trigram index on the folded title ({first_line}); the admin's "
            "title-fragment search goes without it.\n"
        )


def folding_backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS article_title_fold_trgm_idx")
    schema_editor.execute("DROP INDEX IF EXISTS article_folded_text_idx")
    schema_editor.execute("DROP FUNCTION IF EXISTS articles_folded_document(text, text, text)")
    schema_editor.execute("DROP FUNCTION IF EXISTS articles_fold(text)")


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0010_issue6_search_candidates'),
        ('articles', '0004_issue5_groups'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='translation',
            name='original_published_time',
            field=models.TimeField(blank=True, help_text="When the source gives one, e.g. 09:30 (the newsroom's time zone).", null=True, verbose_name='original publication time'),
        ),
        migrations.CreateModel(
            name='EditingLock',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('since', models.DateTimeField(default=django.utils.timezone.now)),
                ('heartbeat_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('article', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='editing_lock', to='articles.article')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='editing_locks', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'editing lock',
                'verbose_name_plural': 'editing locks',
                'ordering': ['-heartbeat_at'],
            },
        ),
        migrations.CreateModel(
            name='Image',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.ImageField(upload_to='images/%Y/%m/')),
                ('alt_text', models.CharField(help_text='What the image shows, for readers who cannot see it, e.g. “Wind turbines on a hill above the Caspian”.', max_length=300, verbose_name='alt text')),
                ('caption', models.CharField(blank=True, max_length=500)),
                ('credit', models.CharField(blank=True, help_text='e.g. “Photo: APA”.', max_length=200)),
                ('width', models.PositiveIntegerField(blank=True, editable=False, null=True)),
                ('height', models.PositiveIntegerField(blank=True, editable=False, null=True)),
                ('renditions', models.JSONField(blank=True, default=dict, editable=False)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('uploaded_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='uploaded_images', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'image',
                'verbose_name_plural': 'images',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ArticleAutosave',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('data', models.JSONField(default=dict, help_text="The form's text fields, by name.")),
                ('opened_version', models.PositiveIntegerField(blank=True, null=True)),
                ('saved_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('article', models.ForeignKey(blank=True, help_text='Empty for an article not saved yet (the add form).', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='autosaves', to='articles.article')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='article_autosaves', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'autosave',
                'verbose_name_plural': 'autosaves',
                'ordering': ['-saved_at'],
                'constraints': [models.UniqueConstraint(fields=('article', 'user'), name='autosave_once_per_editor'), models.UniqueConstraint(condition=models.Q(('article', None)), fields=('user',), name='autosave_one_new_per_editor')],
            },
        ),
        migrations.RunPython(translators_add_people, translators_add_no_people),
        migrations.RunPython(folding_forwards, folding_backwards),
    ]
