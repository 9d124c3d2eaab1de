"""A search engine reads an article's JSON-LD: its tags as keywords, a description that is
never empty, and a headline cut between words."""

import json
import re


def jsonld(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    return json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )


def test_tags_are_the_keywords(client, make_article):
    article = make_article(tags=["Karabakh", "Energy"])
    assert sorted(jsonld(client, article)["keywords"]) == ["Energy", "Karabakh"]
    assert "keywords" not in jsonld(client, make_article())


def test_the_description_is_never_empty(client, make_article):
    article = make_article(standfirst="", body="<p>The <b>opening</b> words of the text.</p>")
    assert jsonld(client, article)["description"] == "The opening words of the text."
    bare = make_article(standfirst="", body="")
    assert jsonld(client, bare)["description"] == bare.title
    written = make_article(seo_description="What the editor wrote.")
    assert jsonld(client, written)["description"] == "What the editor wrote."


def test_a_long_headline_is_cut_between_words(client, make_article):
    title = "Ministers of the Caspian states agree " + "on the pipeline route " * 6
    article = make_article(title=title.strip())
    headline = jsonld(client, article)["headline"]
    assert len(headline) <= 110 and headline.endswith("…")
    assert title.strip().startswith(headline.rstrip("…"))
    assert headline.rstrip("…").split()[-1] in {"on", "the", "pipeline", "route"}
