"""An editor imports a saved web page: the main text and metadata are extracted and
everything hostile is removed."""

import shutil
from datetime import date

from django.utils import timezone

from articles.models import Article

from .importing import DATA, run_import


def test_a_saved_page_becomes_an_article_with_its_metadata_and_a_clean_body(
    tmp_path, make_category
):
    make_category("Logistics-Transport")
    shutil.copy(DATA / "hostile_page.html", tmp_path / "ferry.html")

    status, out, err = run_import(
        tmp_path / "ferry.html", "--category", "logistics-transport", "--keep-dates"
    )

    assert status == 0, err
    article = Article.objects.get()
    assert article.title == "Caspian ferry line reopens"
    assert [a.name for a in article.authors.all()] == ["Elvin Guliyev"]
    assert timezone.localtime(article.published_at).date() == date(2024, 4, 18)
    assert article.translation.source.name == "Caspian Courier"
    assert article.translation.source_url == (
        "https://caspian-courier.example/news/ferry-line-reopens"
    )
    body = article.body
    assert "Turkmenbashi reopened on Thursday" in body
    assert "Middle Corridor" in body
    assert "<strong>cabins</strong>" in body
    assert (
        '<a href="https://caspian-courier.example/timetable" rel="noopener noreferrer">'
        "new timetable</a>"
    ) in body
    hostile_bits = ["<script", "alert", "<style", "onclick", "onmouseover", "javascript:"]
    hostile_bits += ["data:", "<iframe", "evil.example", "cookie", "Sport", "All rights"]
    for hostile in hostile_bits:
        assert hostile not in body, hostile
    assert "<h1>" not in body  # the headline is the title, not repeated in the text


def test_re_importing_the_page_is_recognised_by_its_canonical_url(tmp_path, make_category):
    make_category("Logistics-Transport")
    shutil.copy(DATA / "hostile_page.html", tmp_path / "ferry.html")
    run_import(tmp_path / "ferry.html", "--category", "logistics-transport")
    changed = (
        (DATA / "hostile_page.html")
        .read_text()
        .replace("Caspian ferry line reopens</h1>", "Caspian ferry line reopens at last</h1>")
        .replace(
            "<title>Caspian ferry line reopens -", "<title>Caspian ferry line reopens at last -"
        )
    )
    (tmp_path / "ferry.html").write_text(changed)

    status, out, _ = run_import(tmp_path / "ferry.html", "--category", "logistics-transport")

    assert status == 0
    assert "updated" in out and "(fields: title)" in out
    assert Article.objects.get().title == "Caspian ferry line reopens at last"
