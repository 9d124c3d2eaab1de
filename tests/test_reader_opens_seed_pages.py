from articles.models import Article


def test_home_shows_both_seed_articles_and_the_full_menu(client, seeded):
    html = client.get("/").content.decode()
    for article in Article.objects.all():
        assert article.get_absolute_url() in html
    for name in ("COP29", "Opinion", "News", "Economy", "Energy", "Climate and Ecology",
                 "Logistics-Transport", "Karabakh"):  # fmt: skip
        assert f">{name}</a>" in html


def test_article_page_shows_title_byline_and_provenance(client, seeded):
    article = Article.objects.get(category__slug="opinion")
    html = client.get(article.get_absolute_url()).content.decode()
    assert article.title.replace("’", "’") in html
    assert 'href="/author/azemedia/"' in html
    assert "Translated from" in html and "Globalinfo.az" in html


def test_category_page_lists_the_article(client, seeded):
    html = client.get("/category/opinion/").content.decode()
    assert "Aliyev and Erdoğan’s post-February 7 plans" in html


def test_parent_category_lists_its_children_articles(client, make_category, make_article):
    news = make_category("News")
    energy = make_category("Energy", parent=news)
    make_article(title="Pipeline deal signed", category=energy)
    assert "Pipeline deal signed" in client.get(news.get_absolute_url()).content.decode()


def test_old_category_address_redirects_permanently(client, make_category, make_article):
    article = make_article(title="Moved piece")
    response = client.get(f"/karabakh-old/{article.slug}/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_static_page_is_served(client, seeded):
    response = client.get("/who-we-are/")
    assert response.status_code == 200
    assert "socio-cultural digest" in response.content.decode()
