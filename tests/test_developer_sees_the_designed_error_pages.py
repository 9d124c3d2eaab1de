"""With DEBUG on (make run) Django answers a bad address with its debug page; the site's own
404 and 500 pages stay in reach at /404/ and /500/ (the README says so). Without DEBUG those
addresses are just not found."""


def test_with_debug_on_the_designed_pages_are_at_404_and_500(client, seeded, settings):
    settings.DEBUG = True
    not_found = client.get("/404/")
    assert not_found.status_code == 404
    html = not_found.content.decode()
    assert "Page not found" in html and 'action="/search/"' in html and "Aze.Media" in html
    error = client.get("/500/")
    assert error.status_code == 500 and "Something went wrong" in error.content.decode()


def test_without_debug_they_are_ordinary_missing_pages(client, seeded, settings):
    settings.DEBUG = False
    for path in ("/404/", "/500/", "/418/"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()


def test_the_readme_says_how_to_see_them():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert "http://127.0.0.1:8000/404/" in readme and "/500/" in readme
