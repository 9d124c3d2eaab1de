"""The operator runs import_wordpress again and again up to switch-over day: nothing is
duplicated, what WordPress changed is updated, what an editor changed in Digest is kept, and
--since reads only the newer posts (issue 17)."""

import io

import pytest
from django.core.management import call_command
from reversion.models import Version

from articles import services
from articles.importers.wordpress import WordPressImport
from articles.models import Article, ImportedItem
from tests.importing import EDGE, run_wordpress, summary_row

SITE = EDGE / "site-wxr12.xml"
UPLOADS = EDGE / "uploads"


@pytest.fixture
def export(seeded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "export.xml"
    path.write_text(SITE.read_text())
    return path


def _dump():
    out = io.StringIO()
    call_command("dumpdata", "--all", "--format", "json", "--indent", "1", stdout=out,
                 exclude=["contenttypes", "auth.permission", "sessions"])  # fmt: skip
    return out.getvalue()


def _post(post_id):
    item = ImportedItem.objects.get(kind="post", source_id=str(post_id))
    return Article.objects.get(pk=item.object_id)


def test_the_same_export_twice_changes_nothing_the_second_time(export):
    run_wordpress(export, "--media-dir", UPLOADS)
    before = _dump()

    status, out, err = run_wordpress(export, "--media-dir", UPLOADS)

    assert _dump() == before
    assert summary_row(out, "posts") == [0, 0, 8, 1, 1]  # the trash skipped, “limbo” failed
    assert summary_row(out, "pages") == [0, 0, 2, 0, 0]
    assert summary_row(out, "categories")[0] == 0 and summary_row(out, "tags")[0] == 0
    assert summary_row(out, "authors")[0] == 0 and summary_row(out, "redirects")[0] == 0
    assert "created:" not in out and "updated:" not in out


def test_a_post_changed_in_wordpress_is_updated_with_a_revision(export):
    run_wordpress(export, "--skip-media")
    article = _post(11)
    export.write_text(export.read_text().replace("The town is green again.", "Blossom everywhere."))

    status, out, err = run_wordpress(export, "--skip-media")

    assert "updated: export.xml: post 11 “Şuşa in spring”" in out
    article.refresh_from_db()
    assert "Blossom everywhere." in article.body and article.slug == "shusha-spring"
    assert Version.objects.get_for_object(article).count() == 2
    assert summary_row(out, "posts")[:3] == [0, 1, 7]


def test_what_an_editor_changed_in_digest_is_kept_unless_asked(export):
    run_wordpress(export, "--skip-media")
    article = _post(10)
    services.article_save(article=article, title="Snow over Baku (edited)")
    export.write_text(export.read_text().replace("Schools stayed open.", "Schools closed."))

    status, out, err = run_wordpress(export, "--skip-media")

    article.refresh_from_db()
    assert article.title == "Snow over Baku (edited)" and "Schools stayed open." in article.body
    assert (
        "skipped: export.xml: post 10 “Hello Baku”: changed in WordPress, but an editor changed "
        "it in Digest since the import; --on-existing update overwrites"
    ) in out

    status, out, err = run_wordpress(export, "--skip-media", "--on-existing", "update")

    article.refresh_from_db()
    assert article.title == "Hello Baku" and "Schools closed." in article.body
    assert Article.objects.filter(title__startswith="Hello Baku").count() == 2  # no duplicate


def test_an_editors_change_alone_is_not_undone_by_a_rerun(export):
    run_wordpress(export, "--skip-media")
    article = _post(12)
    services.article_save(article=article, standfirst="Written in Digest.")

    run_wordpress(export, "--skip-media", "--on-existing", "update")

    article.refresh_from_db()
    assert article.standfirst == "Written in Digest."  # WordPress did not change the post


def test_since_reads_only_the_newer_posts(export):
    run_wordpress(export, "--skip-media")
    text = export.read_text()
    text = text.replace("The town is green again.", "Changed in February.")  # post 11, Feb
    text = text.replace("Prices rose.", "Prices fell.")  # post 14, March
    export.write_text(text)

    status, out, err = run_wordpress(export, "--skip-media", "--since", "2024-03-01")

    assert "Changed in February." not in _post(11).body
    assert _post(14).body == "<p>Prices fell.</p>"
    assert "items older than --since were not read" in out
    assert summary_row(out, "posts")[1] == 1


def test_since_on_switch_over_day_brings_the_new_post(export, tmp_path):
    run_wordpress(export, "--skip-media")
    new = """	<item>
		<title><![CDATA[Switch-over day]]></title>
		<link>https://old.example.com/2024/06/03/switch-over/</link>
		<dc:creator><![CDATA[anar]]></dc:creator>
		<guid isPermaLink="false">https://old.example.com/?p=99</guid>
		<content:encoded><![CDATA[Written this morning.]]></content:encoded>
		<wp:post_id>99</wp:post_id>
		<wp:post_date><![CDATA[2024-06-03 09:00:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[2024-06-03 05:00:00]]></wp:post_date_gmt>
		<wp:post_name><![CDATA[switch-over]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<category domain="category" nicename="news"><![CDATA[News]]></category>
	</item>
</channel>"""
    export.write_text(export.read_text().replace("</channel>", new))
    count = Article.objects.count()

    status, out, err = run_wordpress(export, "--skip-media", "--since", "2024-06-01T00:00+04:00")

    assert status == 0, err  # the failing old post is not even read
    assert Article.objects.count() == count + 1
    assert _post(99).get_absolute_url() == "/news/switch-over/"
    assert summary_row(out, "posts") == [1, 0, 1, 0, 0]  # and the post scheduled for 2099


def test_a_dry_run_writes_nothing_and_counts_by_kind(export):
    before = _dump()

    status, out, err = run_wordpress(export, "--media-dir", UPLOADS, "--dry-run")

    assert _dump() == before
    assert "Dry run: nothing was written" in out
    assert "would be created: export.xml: post 10 “Hello Baku”" in out
    assert summary_row(out, "posts") == [8, 0, 0, 1, 1]
    assert summary_row(out, "pages") == [1, 1, 0, 0, 0]
    assert summary_row(out, "authors")[0] == 2 and summary_row(out, "tags")[0] == 2
    assert summary_row(out, "categories")[0] == 1  # Markets


def test_a_killed_import_leaves_no_half_written_post(export, monkeypatch):
    calls = {"n": 0}
    flush = WordPressImport._flush_addresses

    def killed(self):
        calls["n"] += 1
        if calls["n"] == 2:  # inside the first batch of posts, after they were saved
            raise KeyboardInterrupt
        return flush(self)

    monkeypatch.setattr(WordPressImport, "_flush_addresses", killed)
    count = Article.objects.count()

    with pytest.raises(KeyboardInterrupt):
        run_wordpress(export, "--skip-media")

    assert Article.objects.count() == count
    assert not ImportedItem.objects.filter(kind="post").exists()
    monkeypatch.setattr(WordPressImport, "_flush_addresses", flush)
    status, out, err = run_wordpress(export, "--skip-media")
    assert summary_row(out, "posts")[0] == 8  # the next run does it all
