"""An editor imports Markdown pieces with YAML front matter."""

from datetime import date

import pytest
from django.utils import timezone
from PIL import Image

from articles.models import Article, Author, Source, Tag

from .importing import run_import

PIECE = """\
---
title: "Baku's new wind farms: what changes"
slug: baku-wind-farms
standfirst: Two parks on the Caspian coast start next year.
authors: [Leyla Mammadova, AzeMedia]
category: Energy
tags: [Energy, Caspian]
date: 2024-02-01
status: review
image: photo.png
image_caption: The Khizi wind park
image_credit: "Photo: APA"
source: Report.az
source_url: https://report.az/en/energy/wind-farms
original_title: Küləkdən enerji
original_author: Rauf Aliyev
source_language: az
translator: Azer Aykhan
language: en
---
The **first** park is in *Khizi*; see [the plan](https://example.org/plan).

<script>alert("x")</script>
<p onclick="steal()">Clicked <a href="javascript:alert(1)">here</a>.</p>

- one
- two
"""


@pytest.fixture
def energy(make_category):
    return make_category("Energy")


def test_markdown_piece_becomes_a_draft_with_every_field_and_its_provenance(
    tmp_path, energy, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    Image.new("RGB", (40, 30), "navy").save(tmp_path / "photo.png")
    (tmp_path / "piece.md").write_text(PIECE, encoding="utf-8")

    status, out, err = run_import(tmp_path / "piece.md", "--keep-dates")

    assert status == 0, err
    assert "created" in out and "Baku's new wind farms" in out
    article = Article.objects.get()
    assert article.title == "Baku's new wind farms: what changes"
    assert article.slug == "baku-wind-farms"
    assert article.standfirst == "Two parks on the Caspian coast start next year."
    assert article.category == energy
    assert article.status == "review"
    assert timezone.localtime(article.published_at).date() == date(2024, 2, 1)
    assert sorted(a.name for a in article.authors.all()) == ["AzeMedia", "Leyla Mammadova"]
    assert sorted(article.tags.names()) == ["Caspian", "Energy"]
    assert article.image_caption == "The Khizi wind park"
    assert article.image_credit == "Photo: APA"
    assert article.featured_image.name.endswith(".png")
    assert (tmp_path / "media" / article.featured_image.name).is_file()
    assert article.translation.source.name == "Report.az"
    assert article.translation.source_url == "https://report.az/en/energy/wind-farms"
    assert article.translation.original_title == "Küləkdən enerji"
    assert article.translation.original_author.name == "Rauf Aliyev"
    assert article.translation.source_language == "az"
    assert article.translation.translator.name == "Azer Aykhan"
    body = article.body
    assert "<strong>first</strong>" in body and "<em>Khizi</em>" in body
    assert '<a href="https://example.org/plan" rel="noopener noreferrer">the plan</a>' in body
    assert "<li>one</li>" in body
    assert "script" not in body and "alert" not in body
    assert "onclick" not in body and "javascript:" not in body


def test_options_win_over_the_file_and_tags_are_added(tmp_path, energy, make_category):
    make_category("Opinion")
    (tmp_path / "piece.md").write_text(PIECE.replace("image: photo.png\n", ""), "utf-8")

    status, _, err = run_import(
        tmp_path / "piece.md", "--force-category", "opinion", "--author", "Kamran Hasanov",
        "--status", "draft", "--tags", "cop29", "--translator", "Nigar Aliyeva",
        "--publish-at", "2024-03-05T09:30+04:00",
    )  # fmt: skip

    assert status == 0, err
    article = Article.objects.get()
    assert article.category.slug == "opinion"
    assert [a.name for a in article.authors.all()] == ["Kamran Hasanov"]
    assert article.status == "draft"
    assert sorted(article.tags.names(), key=str.lower) == ["Caspian", "cop29", "Energy"]
    assert article.translation.translator.name == "Nigar Aliyeva"
    assert article.published_at.isoformat().startswith("2024-03-05T05:30")


def test_people_outlets_and_tags_are_matched_whatever_their_case(tmp_path, energy, make_author):
    existing = make_author("Leyla Mammadova")
    Source.objects.create(name="REPORT.AZ", slug="report-az")
    Tag.objects.create(name="energy", slug="energy")
    (tmp_path / "piece.md").write_text(
        PIECE.replace("Leyla Mammadova", "leyla MAMMADOVA").replace("image: photo.png\n", ""),
        "utf-8",
    )

    assert run_import(tmp_path / "piece.md")[0] == 0

    article = Article.objects.get()
    assert existing in article.authors.all()
    assert Author.objects.filter(name__iexact="leyla mammadova").count() == 1
    assert Source.objects.count() == 1 and article.translation.source.name == "REPORT.AZ"
    assert Tag.objects.filter(name__iexact="energy").count() == 1


def test_a_leading_heading_is_the_title_when_the_front_matter_has_none(tmp_path, energy):
    (tmp_path / "piece.md").write_text(
        "---\ncategory: energy\n---\n# Gas to Europe\n\nThe pipeline runs full.\n", "utf-8"
    )

    assert run_import(tmp_path / "piece.md")[0] == 0

    article = Article.objects.get()
    assert article.title == "Gas to Europe"
    assert article.body == "<p>The pipeline runs full.</p>"
    assert article.status == "draft"


def test_a_missing_or_broken_image_is_a_warning_not_a_failure(tmp_path, energy):
    (tmp_path / "bad.png").write_bytes(b"not an image at all")
    (tmp_path / "a.md").write_text(PIECE.replace("photo.png", "nowhere.png"), "utf-8")
    (tmp_path / "b.md").write_text(
        PIECE.replace("photo.png", "bad.png").replace("wind-farms\n", "wind-farms-2\n"), "utf-8"
    )

    status, _, err = run_import(tmp_path)

    assert status == 0
    assert "nowhere.png: no such file; imported without an image" in err
    assert "bad.png: not a JPEG, PNG or WebP image" in err
    assert Article.objects.count() == 2
    assert not any(a.featured_image for a in Article.objects.all())


def test_a_similar_recent_title_is_reported_as_a_warning(tmp_path, energy, make_article):
    make_article(title="Baku's new wind farms: what changes now", category=energy)
    (tmp_path / "piece.md").write_text(PIECE.replace("image: photo.png\n", ""), "utf-8")

    status, _, err = run_import(tmp_path / "piece.md")

    assert status == 0
    assert "similar title: “Baku's new wind farms: what changes now”" in err
    assert Article.objects.count() == 2


def test_different_titles_sharing_some_words_are_not_reported(tmp_path, energy, make_article):
    make_article(title="Baku's new metro line: what changes for commuters", category=energy)
    (tmp_path / "piece.md").write_text(PIECE.replace("image: photo.png\n", ""), "utf-8")

    status, _, err = run_import(tmp_path / "piece.md")

    assert status == 0
    assert "similar title" not in err
