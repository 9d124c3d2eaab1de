"""A reader shares an article: e-mail, Facebook, X, Telegram, WhatsApp and LinkedIn as plain
links to those sites' own share pages (no script of theirs, the CSP unchanged), and "Copy
link", which copies the address (and without script is a link to the page)."""

from html import unescape
from urllib.parse import parse_qs, urlsplit


def share_links(html):
    import re

    block = html.split('<nav class="share"')[1].split("</nav>")[0]
    return {
        text: unescape(href)
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', block)
    }


def test_share_links_name_the_article_and_its_own_address(client, make_article):
    article = make_article(title="Şuşa & Ağdam: a road")
    html = client.get(article.get_absolute_url()).content.decode()
    links = share_links(html)
    assert list(links) == [
        "E-mail",
        "Facebook",
        "X",
        "Telegram",
        "WhatsApp",
        "LinkedIn",
        "Copy link",
    ]
    address = f"http://testserver{article.get_absolute_url()}"
    assert links["Copy link"] == address
    mail = urlsplit(links["E-mail"])
    assert mail.scheme == "mailto" and parse_qs(mail.query) == {
        "subject": ["Şuşa & Ağdam: a road"],
        "body": [address],
    }
    assert parse_qs(urlsplit(links["Facebook"]).query) == {"u": [address]}
    assert links["Facebook"].startswith("https://www.facebook.com/sharer/sharer.php?")
    assert parse_qs(urlsplit(links["X"]).query) == {"url": [address], "text": [article.title]}
    assert parse_qs(urlsplit(links["Telegram"]).query) == {
        "url": [address],
        "text": [article.title],
    }
    assert parse_qs(urlsplit(links["WhatsApp"]).query) == {"text": [f"{article.title} {address}"]}
    assert parse_qs(urlsplit(links["LinkedIn"]).query) == {"url": [address]}


def test_sharing_loads_nothing_from_other_sites(client, make_article):
    article = make_article()
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert html.count("<script") == 2  # site.js and the JSON-LD data block
    assert '<script src="/static/js/site.js"></script>' in html
    assert "<iframe" not in html
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "facebook" not in policy and "twitter" not in policy


def test_a_reprint_is_shared_by_its_address_here_not_the_originals(client, make_article):
    article = make_article(translation={"source_url": "https://example.org/original"})
    html = client.get(article.get_absolute_url()).content.decode()
    assert share_links(html)["Copy link"] == f"http://testserver{article.get_absolute_url()}"
