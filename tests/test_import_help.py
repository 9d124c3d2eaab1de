"""The operator reads ``import_articles --help``."""

import pytest
from django.core.management import call_command


def test_help_documents_every_option_and_format_with_examples(capsys):
    with pytest.raises(SystemExit):
        call_command("import_articles", "--help")
    text = capsys.readouterr().out
    for option in ("--format", "--category", "--author", "--translator", "--source ",
                   "--source-url", "--source-language", "--status", "--publish-at", "--tags",
                   "--dry-run", "--on-existing", "--verbosity", "--title"):  # fmt: skip
        assert option in text, option
    for fmt in ("md ", "txt ", "page ", "html ", "docx ", "json "):
        assert f"\n  {fmt}" in text, fmt
    assert "YAML front matter" in text and ".jsonl" in text and "Word document" in text
    assert "Examples:" in text and "python manage.py import_articles incoming/" in text
    assert "--on-existing update" in text


def test_import_wordpress_help_documents_every_option_with_examples(capsys):
    with pytest.raises(SystemExit):
        call_command("import_wordpress", "--help")
    text = capsys.readouterr().out
    for option in ("--media-dir", "--media-url", "--dry-run", "--status-map", "--category-map",
                   "--default-category", "--author-map", "--since", "--skip-media",
                   "--fetch-media", "--on-existing", "--menu", "--verbosity"):  # fmt: skip
        assert option in text, option
    assert "Examples:" in text and "python manage.py import_wordpress export.xml" in text
    assert "--on-existing update" in text and "detected by a second hash" in text
    for kind in ("posts", "bodies", "pages", "categories", "tags", "authors", "images", "files"):
        assert f"\n  {kind} " in text, kind
    assert "Import no images and no files" in text  # --skip-media
