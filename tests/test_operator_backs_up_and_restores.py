"""`make backup` then `make restore` into an empty PostgreSQL database gives back every
article, author, category, translation, tag, page and media file."""

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import psycopg2
import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import connection

from articles.models import Article, Author

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.postgres


def url_for(settings_dict, name):
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    return f"postgres://{settings_dict['USER']}{password}@{host}:{port}/{name}"


def rows(url, table):
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608 — our own table names
        return cursor.fetchall()


def files(root):
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(Path(root).rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def empty_database():
    if connection.vendor != "postgresql":
        pytest.skip("backups use pg_dump/pg_restore (run with DATABASE_URL on PostgreSQL)")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore") and shutil.which("make")):
        pytest.skip("pg_dump, pg_restore and make are needed")
    name = f"{connection.settings_dict['NAME']}_restored"
    admin_url = url_for(connection.settings_dict, "postgres")
    admin = psycopg2.connect(admin_url)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield url_for(connection.settings_dict, name)
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def make(target, **env):
    return subprocess.run(  # noqa: S603
        ["make", "--no-print-directory", target],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_an_empty_database_gives_everything_back(
    empty_database, seeded, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    author = Author.objects.first()
    author.photo.save("Portrait of the desk.png", ContentFile(b"\x89PNG fake image bytes"))
    article = Article.objects.first()
    article.featured_image.save("Baku at night.jpg", ContentFile(b"\xff\xd8 fake jpeg"))
    source_url = url_for(connection.settings_dict, connection.settings_dict["NAME"])

    backup = make(
        "backup",
        DATABASE_URL=source_url,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        BACKUP_DIR=str(tmp_path / "backups"),
    )
    assert backup.returncode == 0, backup.stderr
    folder = backup.stdout.strip().splitlines()[-1]
    assert (Path(folder) / "db.dump").stat().st_size > 0

    restored_media = tmp_path / "restored-media"
    restore = make(
        "restore", BACKUP=folder, DATABASE_URL=empty_database, MEDIA_ROOT=str(restored_media)
    )
    assert restore.returncode == 0, restore.stderr

    models = [
        *apps.get_app_config("articles").get_models(include_auto_created=True),
        apps.get_model("flatpages", "FlatPage"),
        apps.get_model("taggit", "Tag"),
    ]
    checked = set()
    for model in models:
        table = model._meta.db_table
        original = rows(source_url, table)
        assert rows(empty_database, table) == original, table
        if original:
            checked.add(table)
    for must in ["articles_article", "articles_author", "articles_category", "django_flatpage"]:
        assert must in checked
    assert Article.objects.exclude(translation=None).exists()
    assert files(restored_media) == files(settings.MEDIA_ROOT)
    assert len(files(restored_media)) == 2


def test_restore_refuses_a_database_that_is_not_empty(empty_database, tmp_path):
    with psycopg2.connect(empty_database) as conn, conn.cursor() as cursor:
        cursor.execute("CREATE TABLE precious (id int)")
    folder = tmp_path / "digest-x"
    folder.mkdir()
    (folder / "db.dump").write_bytes(b"")
    (folder / "media.tar.gz").write_bytes(b"")
    subprocess.run(  # noqa: S603
        ["bash", "-c", "sha256sum db.dump media.tar.gz > SHA256SUMS"], cwd=folder, check=True
    )
    restore = make("restore", BACKUP=str(folder), DATABASE_URL=empty_database)
    assert restore.returncode != 0
    assert "not empty" in restore.stderr
