"""A reader subscribes (double opt-in), receives the issue from a real SMTP server on
loopback, and unsubscribes with one click; bad input gets a clear message."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from newsletter import services
from newsletter.models import Delivery, Issue, Subscriber
from newsletter.tokens import confirm_token, manage_token
from tests.newsletter_support import SMTPServer, links, part, run_tasks


@pytest.fixture
def smtp(settings):
    server = SMTPServer().start()
    settings.MAILERS = server.mailers()
    settings.NEWSLETTER_BASE_URL = "http://testserver"
    yield server
    server.stop()


def path_of(url):
    return urlsplit(url).path


def subscribe(client, email, **extra):
    return client.post("/newsletter/subscribe/", {"email": email, "website": "", **extra})


def test_reader_subscribes_confirms_receives_an_issue_and_unsubscribes_in_one_click(
    client, smtp, make_article
):
    make_article(title="Baku ferry line reopens", standfirst="The Caspian link is back.")
    response = subscribe(client, "Reader@Example.com")
    assert response.status_code == 302
    assert response["Location"] == "/newsletter/check-your-inbox/"
    assert "Check your inbox" in client.get(response["Location"]).content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader@example.com"
    assert subscriber.status == Subscriber.Status.PENDING

    run_tasks()
    [confirmation] = smtp.sink.to("reader@example.com")
    assert confirmation["Subject"] == "Confirm your subscription to the Daily Digest"
    [confirm_url] = [u for u in links(part(confirmation, "plain")) if "/confirm/" in u]

    # Before confirming, an issue goes to nobody.
    issue = services.issue_assemble(day=timezone.localdate())
    services.issue_send(issue=issue)
    run_tasks()
    assert len(smtp.messages) == 1
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.SENT

    page = client.get(path_of(confirm_url))
    assert "Yes, confirm my subscription" in page.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING  # GET changes nothing
    done = client.post(path_of(confirm_url))
    assert "You are subscribed" in done.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE

    make_article(title="Energy ministers meet in Baku", published_at=timezone.now())
    tomorrow = services.issue_assemble(day=timezone.localdate() + timedelta(days=1))
    services.issue_send(issue=tomorrow)
    run_tasks()
    [received] = smtp.sink.to("reader@example.com")[1:]
    assert received["To"] == "reader@example.com"
    assert received["Subject"] == str(tomorrow)
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = received["List-Unsubscribe"].strip("<>")
    html, text = part(received, "html"), part(received, "plain")
    assert "Energy ministers meet in Baku" in html and "Energy ministers meet in Baku" in text
    # Only what was published since the last issue.
    assert "Baku ferry line reopens" not in html
    assert unsubscribe_url in html and unsubscribe_url in text
    assert 'style="' in html and "<table" in html  # inlined CSS, table layout
    assert "prefers-color-scheme: dark" in html
    assert smtp.messages[-1]["size"] < 100_000
    for url in links(text):
        assert url.startswith("http://testserver/"), url
        assert client.get(path_of(url)).status_code == 200, url

    # The mail client's one-click button: a POST with no cookie, no CSRF token.
    one_click = Client(enforce_csrf_checks=True).post(
        path_of(unsubscribe_url),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert one_click.status_code == 200
    assert "You are unsubscribed" in one_click.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_by_issue == tomorrow
    assert Issue.objects.with_figures().get(pk=tomorrow.pk).unsubscribe_count == 1

    make_article(title="A third day of news", published_at=timezone.now())
    third = services.issue_assemble(day=timezone.localdate() + timedelta(days=2))
    services.issue_send(issue=third)
    run_tasks()
    assert len(smtp.sink.to("reader@example.com")) == 2  # nothing more after unsubscribing


def test_the_footer_link_page_unsubscribes_with_its_single_button(client, db, make_article):
    reader = Subscriber.objects.create(email="a@example.com", status=Subscriber.Status.ACTIVE)
    url = f"/newsletter/unsubscribe/{manage_token(reader)}/"
    page = client.get(url)
    assert "Stop sending the Daily Digest to" in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    client.post(url)
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_an_issue_being_sent_stops_for_a_reader_who_unsubscribes(db, make_article):
    make_article()
    stay = Subscriber.objects.create(email="stay@example.com", status="active")
    leave = Subscriber.objects.create(email="leave@example.com", status="active")
    issue = services.issue_assemble(day=timezone.localdate())
    services.issue_send(issue=issue)
    services.subscriber_unsubscribe(subscriber=leave)
    run_tasks()
    assert [m.to for m in mail.outbox] == [[stay.email]]
    assert Delivery.objects.get(subscriber=leave).status == Delivery.Status.SKIPPED


def test_the_form_answers_the_same_for_a_known_and_an_unknown_address(client, db):
    Subscriber.objects.create(email="known@example.com", status=Subscriber.Status.ACTIVE)
    known = subscribe(client, "known@example.com")
    unknown = subscribe(client, "unknown@example.com")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    run_tasks()
    by_address = {m.to[0]: m for m in mail.outbox}
    # The known reader is told they are subscribed (with their links); nobody else learns it.
    assert by_address["known@example.com"].subject.startswith("You are already subscribed")
    assert by_address["unknown@example.com"].subject.startswith("Confirm your subscription")
    assert Subscriber.objects.get(email="known@example.com").status == "active"


def test_a_bot_filling_the_honeypot_gets_the_same_answer_and_nothing_is_sent(client, db):
    response = subscribe(client, "bot@example.com", website="http://spam.example")
    assert response["Location"] == "/newsletter/check-your-inbox/"
    run_tasks()
    assert mail.outbox == []
    assert not Subscriber.objects.exists()


def test_subscribing_is_throttled_per_address_and_per_ip(client, db, settings):
    settings.NEWSLETTER_THROTTLE_PER_ADDRESS = (2, 3600)
    settings.NEWSLETTER_THROTTLE_PER_IP = (4, 3600)
    for _ in range(3):
        assert subscribe(client, "same@example.com").status_code == 302
    run_tasks()
    assert len(mail.outbox) == 2  # the third request answers the same and sends nothing
    assert subscribe(client, "other@example.com").status_code == 302
    throttled = subscribe(client, "more@example.com")
    assert throttled.status_code == 429
    assert "Too many requests" in throttled.content.decode()
    assert not Subscriber.objects.filter(email="more@example.com").exists()
    # Another network is not held back.
    other = client.post(
        "/newsletter/subscribe/", {"email": "more@example.com"}, REMOTE_ADDR="10.9.9.9"
    )
    assert other.status_code == 302


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("not-an-address", "Enter an address like name@example.com."),
        ("a@b.c\r\nBcc: victim@example.com", "An e-mail address cannot contain line breaks."),
        ("a@b.c\nBcc: victim@example.com", "An e-mail address cannot contain line breaks."),
        ("x" * 290 + "@example.com", "That address is 302 characters long"),
        ("a@-bad-.com", "Enter an address like name@example.com."),
        ("ünï@example.com", "The part before @ may only use Latin letters"),
        ("", "This field is required."),
    ],
)
def test_a_bad_address_gets_a_clear_message_and_nothing_is_stored(client, db, address, message):
    response = subscribe(client, address)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Subscriber.objects.exists()
    run_tasks()
    assert mail.outbox == []


def test_a_unicode_domain_is_stored_in_its_ascii_form(client, db):
    subscribe(client, "Oxucu@Xəbər.az")
    assert Subscriber.objects.get().email == "oxucu@xn--xbr-dtbb.az"


def test_the_subscribe_form_on_cached_pages_sets_no_cookie(client, settings, make_article):
    settings.PAGECACHE_ENABLED = True
    article = make_article()
    for url in ["/", article.get_absolute_url()]:
        response = client.get(url)
        html = response.content.decode()
        assert 'action="/newsletter/subscribe/"' in html
        assert "csrfmiddlewaretoken" not in html.split("subscribe-form")[1]
        assert not response.cookies
        assert client.get(url).get("X-Page-Cache") == "hit"  # stored whole, form and all
    strict = Client(enforce_csrf_checks=True)
    assert subscribe(strict, "nocookie@example.com").status_code == 302


def test_the_full_form_lets_a_reader_choose_sections(client, make_category, make_article):
    energy = make_category(name="Energy")
    culture = make_category(name="Culture")
    page = client.get("/newsletter/subscribe/")
    assert "Energy" in page.content.decode() and "Culture" in page.content.decode()
    subscribe(client, "sections@example.com", categories=[energy.pk])
    reader = Subscriber.objects.get()
    assert list(reader.categories.all()) == [energy]
    services.subscriber_confirm(subscriber=reader)
    make_article(title="Pipeline news", category=energy)
    make_article(title="A new museum", category=culture)
    run_tasks()
    mail.outbox.clear()
    issue = services.issue_assemble(day=timezone.localdate())
    services.issue_send(issue=issue)
    run_tasks()
    [message] = mail.outbox
    html = message.alternatives[0].content
    assert "Pipeline news" in html and "A new museum" not in html
    assert "Pipeline news" in message.body and "A new museum" not in message.body


def test_preferences_change_sections_pause_and_resume(client, make_category):
    energy = make_category(name="Energy")
    reader = Subscriber.objects.create(email="p@example.com", status="active")
    url = f"/newsletter/preferences/{manage_token(reader)}/"
    page = client.get(url)
    assert "p@example.com" in page.content.decode() and "Energy" in page.content.decode()
    response = client.post(url, {"categories": [energy.pk], "paused": "on"})
    assert "Saved." in response.content.decode()
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.PAUSED
    assert list(reader.categories.all()) == [energy]
    assert not Subscriber.objects.receiving().exists()
    client.post(url, {"categories": []})
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.ACTIVE
    assert not reader.categories.exists()


def test_an_altered_or_expired_link_is_refused_clearly(client, db, settings):
    reader = Subscriber.objects.create(email="l@example.com")
    token = confirm_token(reader)
    for url in [
        f"/newsletter/confirm/{token[:-2]}xx/",
        f"/newsletter/unsubscribe/{manage_token(reader)}x/",
        f"/newsletter/preferences/{manage_token(reader)[:-3]}abc/",
    ]:
        response = client.get(url)
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()
    settings.NEWSLETTER_CONFIRM_MAX_AGE = -1
    assert client.post(f"/newsletter/confirm/{token}/").status_code == 404
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_a_link_stops_working_when_its_address_is_gone(client, db):
    reader = Subscriber.objects.create(email="gone@example.com", status="active")
    token = manage_token(reader)
    reader.delete()
    Subscriber.objects.create(pk=reader.pk, email="new@example.com", status="active")
    assert client.post(f"/newsletter/unsubscribe/{token}/").status_code == 404
    assert Subscriber.objects.get().status == "active"


def test_the_top_storys_image_has_an_absolute_address_and_its_alt_text(
    db, make_article, settings, tmp_path
):
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    settings.NEWSLETTER_BASE_URL = "https://digest.example"
    photo = Path(__file__).parent / "data" / "featured.jpg"
    make_article(
        title="With a photo", is_featured=True, image_alt="The summit hall in Baku",
        featured_image=SimpleUploadedFile("hall.jpg", photo.read_bytes(), "image/jpeg"),
    )  # fmt: skip
    Subscriber.objects.create(email="r@example.com", status="active")
    services.issue_send(issue=services.issue_assemble(day=timezone.localdate()))
    run_tasks()
    [message] = mail.outbox
    html = message.alternatives[0].content
    image = html.split("<img", 1)[1].split(">", 1)[0]
    assert 'src="https://digest.example/media/' in image
    assert 'alt="The summit hall in Baku"' in image


def test_the_newsletter_pages_stay_within_the_query_budget(
    client, make_category, django_assert_max_num_queries
):
    make_category(name="Energy")
    reader = Subscriber.objects.create(email="q@example.com", status="active")
    pages = [
        "/newsletter/subscribe/",
        "/newsletter/check-your-inbox/",
        f"/newsletter/confirm/{confirm_token(reader)}/",
        f"/newsletter/unsubscribe/{manage_token(reader)}/",
        f"/newsletter/preferences/{manage_token(reader)}/",
    ]
    for url in pages:
        with django_assert_max_num_queries(10):
            response = client.get(url)
        assert response.status_code == 200, url
        assert "Daily Digest" in response.content.decode(), url


def test_an_editor_adding_a_subscriber_gets_the_same_checks(editor_client):
    response = editor_client.post(
        "/admin/newsletter/subscriber/add/",
        {"email": "Someone@Bakı.az", "status": "active", "origin": "admin"},
    )
    assert response.status_code == 302
    assert Subscriber.objects.get().email == "someone@xn--bak-lua.az"
    refused = editor_client.post(
        "/admin/newsletter/subscriber/add/",
        {"email": "x@y.z\nBcc: a@b.c", "status": "active", "origin": "admin"},
    )
    assert "cannot contain line breaks" in refused.content.decode()
