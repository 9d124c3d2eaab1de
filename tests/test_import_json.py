"""An editor imports JSON batches and JSON Lines files."""

import json

from articles.models import Article

from .importing import run_import


def _piece(n, **extra):
    return {
        "title": f"Grain exports, week {n}",
        "category": "economy",
        "authors": "Aysel Karimova",
        "date": f"2024-01-{n:02d}",
        "source_url": f"https://apa.az/en/grain-{n}",
        "source": "APA",
        "source_language": "az",
        "tags": ["grain", "exports"],
        "text": f"Exports rose in week {n}.\n\nPorts were busy.",
        **extra,
    }


def test_a_json_list_imports_every_object_with_its_fields(tmp_path, make_category):
    make_category("Economy")
    pieces = [_piece(1), _piece(2, body="<p>HTML <b>body</b><script>x()</script></p>"),
              _piece(3, text="", body_markdown="Markdown *body*")]  # fmt: skip
    (tmp_path / "batch.json").write_text(json.dumps(pieces), "utf-8")

    status, out, err = run_import(tmp_path / "batch.json")

    assert status == 0, err
    first, second, third = Article.objects.order_by("title")
    assert first.title == "Grain exports, week 1"
    assert first.body == "<p>Exports rose in week 1.</p>\n<p>Ports were busy.</p>"
    assert [a.name for a in first.authors.all()] == ["Aysel Karimova"]
    assert first.translation.source.name == "APA"
    assert first.translation.source_url == "https://apa.az/en/grain-1"
    assert sorted(first.tags.names()) == ["exports", "grain"]
    assert second.body == "<p>HTML <b>body</b></p>"
    assert third.body == "<p>Markdown <em>body</em></p>"


def test_a_single_json_object_is_one_piece(tmp_path, make_category):
    make_category("Economy")
    (tmp_path / "one.json").write_text(json.dumps(_piece(4)), "utf-8")

    assert run_import(tmp_path / "one.json")[0] == 0
    assert Article.objects.get().title == "Grain exports, week 4"


def test_json_lines_import_line_by_line_and_a_bad_line_is_named(tmp_path, make_category):
    make_category("Economy")
    lines = [json.dumps(_piece(1)), json.dumps(_piece(2)), "{not json", "",
             json.dumps(_piece(5))]  # fmt: skip
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", "utf-8")

    status, out, err = run_import(tmp_path / "feed.jsonl")

    assert status == 1
    assert f"failed: {tmp_path / 'feed.jsonl'}:3: line 3 is not JSON" in err
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        "Grain exports, week 1", "Grain exports, week 2", "Grain exports, week 5",
    ]  # fmt: skip


def test_pieces_with_the_same_headline_get_distinct_addresses(
    tmp_path, make_category, make_article
):
    economy = make_category("Economy")
    make_article(title="Grain exports, week 1", category=economy)
    pieces = [_piece(1), {**_piece(1), "source_url": "https://apa.az/en/other"}]
    (tmp_path / "batch.json").write_text(json.dumps(pieces), "utf-8")

    status, _, err = run_import(tmp_path / "batch.json")

    assert status == 0, err
    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "grain-exports-week-1", "grain-exports-week-1-2", "grain-exports-week-1-3",
    ]  # fmt: skip
    imported = Article.objects.exclude(import_key=None).first()
    assert imported.word_count == 8 and imported.reading_minutes == 1


def test_the_same_piece_twice_in_one_file_is_created_once(tmp_path, make_category):
    make_category("Economy")
    (tmp_path / "feed.jsonl").write_text(
        json.dumps(_piece(1)) + "\n" + json.dumps({**_piece(1), "title": "Renamed"}) + "\n"
    )

    status, out, _ = run_import(tmp_path / "feed.jsonl")

    assert status == 0
    assert "│       1 │       1 │         0 │       0 │      0 │" in out
    assert Article.objects.get().title == "Renamed"
