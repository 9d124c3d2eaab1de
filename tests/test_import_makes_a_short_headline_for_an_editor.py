"""A piece without a title of its own (the seed 000 report) gets a headline made from its first
sentence: at most about 90 characters, cut before a clause or between words, never inside one;
the body keeps the whole sentence, and the admin's list flags it "headline needs an editor"
until an editor writes one."""

import shutil

from articles import services
from articles.models import Article
from articles.text import HEADLINE_LENGTH, headline_from_text

from .importing import SEEDS, run_import

REPORT = "000_4538a9cdd6164cad.txt"


def test_the_seed_report_gets_a_short_headline_and_keeps_its_whole_first_sentence(
    tmp_path, make_category
):
    make_category("News")
    shutil.copy(SEEDS / REPORT, tmp_path / REPORT)
    status, _, err = run_import(tmp_path / REPORT, "--category", "news")
    assert status == 0, err
    article = Article.objects.get()
    assert article.title == (
        "Azerbaijani President Ilham Aliyev is expected to make his first overseas trip"
    )
    assert len(article.title) <= HEADLINE_LENGTH and not article.title.endswith("…")
    assert article.headline_needs_editor
    first = (
        "Azerbaijani President Ilham Aliyev is expected to make his first overseas trip after "
        "winning a fifth reelection this month to Türkiye next week, Turkish diplomatic sources "
        "said, per a Turkic tradition."
    )
    assert f"<p>{first}</p>" in article.body


def test_a_long_sentence_is_cut_at_a_clause_or_between_words():
    clause = (
        "The energy ministers of the three countries signed the agreement in Baku on Monday, "
        "which opens the corridor to Europe"
    )
    assert headline_from_text(clause) == (
        "The energy ministers of the three countries signed the agreement in Baku on Monday"
    )
    words = "Alpha " * 30
    cut = headline_from_text(words)
    assert cut.endswith("…") and len(cut) <= HEADLINE_LENGTH + 1
    assert all(word == "Alpha" for word in cut.rstrip("…").split())
    assert headline_from_text("A short one.") == "A short one"


def test_a_piece_with_its_own_title_is_not_flagged(tmp_path, make_category):
    make_category("News")
    (tmp_path / "piece.txt").write_text("title: Pipeline talks resume\n\nThe talks resumed.\n")
    assert run_import(tmp_path / "piece.txt", "--category", "news")[0] == 0
    assert not Article.objects.get().headline_needs_editor


def test_the_admin_list_flags_it_until_an_editor_writes_a_headline(
    editor_client, make_article, editor
):
    flagged = make_article(title="Made from the first sentence", headline_needs_editor=True)
    make_article(title="Written by an editor")
    changelist = editor_client.get("/admin/articles/article/").content.decode()
    assert "Headline needs an editor" in changelist  # the column and the filter
    only = editor_client.get("/admin/articles/article/?headline_needs_editor__exact=1")
    html = only.content.decode()
    assert "Made from the first sentence" in html and "Written by an editor" not in html
    services.article_save(article=flagged, user=editor, standfirst="Unchanged headline.")
    assert Article.objects.get(pk=flagged.pk).headline_needs_editor
    services.article_save(article=flagged, user=editor, title="Aliyev to visit Ankara")
    assert not Article.objects.get(pk=flagged.pk).headline_needs_editor
