"""An editor shapes each morning's issue in the admin: it is assembled from what was
published since the last one, in the home page's order; they reorder, drop and add pieces,
write an intro, preview it, send a test to themselves, then send it now or schedule it.
Translators cannot send. The subscriber list: counts, search, CSV export and import."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from articles.models import Article
from newsletter import services
from newsletter.models import Delivery, Issue, IssueItem, Subscriber
from tests.newsletter_support import SMTPServer, part, run_tasks


@pytest.fixture
def newsroom(make_category, make_article):
    """Three menu sections (Opinion first in the menu), a lead, a featured piece and
    ordinary ones, published this morning; a draft and a scheduled piece that must stay out."""
    opinion = make_category(name="Opinion", menu_order=0)
    news = make_category(name="News", menu_order=1)
    energy = make_category(name="Energy", parent=news)
    culture = make_category(name="Culture", menu_order=2)
    now = timezone.now()
    at = lambda minutes: now - timedelta(minutes=minutes)  # noqa: E731
    made = {
        "lead": make_article(title="Lead: the Caspian summit", category=news,
                             is_featured=True, published_at=at(10)),
        "featured": make_article(title="Featured: a new corridor", category=culture,
                                 is_featured=True, published_at=at(20)),
        "energy": make_article(title="Gas output rises", category=energy, published_at=at(30)),
        "opinion": make_article(title="Why the talks matter", category=opinion,
                                published_at=at(40)),
        "culture": make_article(title="A festival in Sheki", category=culture, published_at=at(50)),
        "extra1": make_article(title="Ferry timetable", category=news, published_at=at(55)),
        "extra2": make_article(title="Museum reopens", category=culture, published_at=at(56)),
        "extra3": make_article(title="Harvest report", category=energy, published_at=at(57)),
        "opinion2": make_article(title="A second opinion", category=opinion, published_at=at(58)),
        "old": make_article(title="Yesterday's news", category=news,
                            published_at=now - timedelta(days=3)),
    }  # fmt: skip
    make_article(title="Secret draft", category=news, status=Article.Status.DRAFT)
    make_article(title="Scheduled piece", category=news, published_at=now + timedelta(hours=2))
    return made


def titles(issue):
    items = IssueItem.objects.filter(issue=issue).order_by("position")
    return list(items.values_list("article__title", "section"))


def test_the_issue_is_assembled_in_the_home_pages_order_from_what_is_new(db, newsroom):
    previous = services.issue_assemble(day=timezone.localdate() - timedelta(days=1),
                                       now=timezone.now() - timedelta(days=1))  # fmt: skip
    issue = services.issue_assemble(day=timezone.localdate())
    assert issue.covers_from == previous.covers_until
    picked = titles(issue)
    assert picked[0] == ("Lead: the Caspian summit", "Top story")
    assert picked[1][1] == "Featured"
    sections = [section for _, section in picked[1:]]
    # Then by menu category, in the editors' menu order (Opinion, News with Energy, Culture).
    assert sections.index("Opinion") < sections.index("News") < sections.index("Culture")
    names = [title for title, _ in picked]
    assert "Gas output rises" in names and "A second opinion" in names
    for hidden in ["Secret draft", "Scheduled piece", "Yesterday's news"]:
        assert hidden not in names
    assert issue.send_at == datetime.combine(
        issue.date, time(7, 0), tzinfo=timezone.get_current_timezone()
    )


def test_an_editor_assembles_reorders_drops_adds_and_introduces_the_issue(editor_client, newsroom):
    response = editor_client.post(
        "/admin/newsletter/issue/add/", {"date": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    issue = Issue.objects.get()
    assert titles(issue)[0][0] == "Lead: the Caspian summit"
    items = list(issue.items.order_by("position"))
    form = editor_client.get(f"/admin/newsletter/issue/{issue.pk}/change/")
    assert form.status_code == 200
    data = {
        "date": issue.date.isoformat(), "subject": "Monday's digest",
        "intro": "Good morning.\n\nThe summit opens today.",
        "send_at_0": timezone.localtime(issue.send_at).strftime("%Y-%m-%d"),
        "send_at_1": "07:30:00",
        "items-TOTAL_FORMS": str(len(items) + 1), "items-INITIAL_FORMS": str(len(items)),
        "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for n, item in enumerate(items):
        data.update({f"items-{n}-id": item.pk, f"items-{n}-issue": issue.pk,
                     f"items-{n}-article": item.article_id, f"items-{n}-position": item.position,
                     f"items-{n}-section": item.section})  # fmt: skip
    # Move the opinion piece to the top, drop the festival, add yesterday's news at the end.
    opinion_row = next(n for n, i in enumerate(items) if i.article == newsroom["opinion"])
    data[f"items-{opinion_row}-position"] = 1
    data[f"items-{opinion_row}-section"] = "Editor's pick"
    festival_row = next(n for n, i in enumerate(items) if i.article == newsroom["culture"])
    data[f"items-{festival_row}-DELETE"] = "on"
    new = len(items)
    data.update({
        f"items-{new}-issue": issue.pk, f"items-{new}-article": newsroom["old"].pk,
        f"items-{new}-position": 999, f"items-{new}-section": "From the archive",
    })  # fmt: skip
    saved = editor_client.post(f"/admin/newsletter/issue/{issue.pk}/change/", data)
    assert saved.status_code == 302, saved.context["adminform"].errors if saved.context else saved
    issue.refresh_from_db()
    assert issue.subject == "Monday's digest"
    picked = titles(issue)
    assert picked[0] == ("Why the talks matter", "Editor's pick")
    assert picked[-1] == ("Yesterday's news", "From the archive")
    assert "A festival in Sheki" not in [t for t, _ in picked]
    assert timezone.localtime(issue.send_at).strftime("%H:%M") == "07:30"


def test_an_editor_previews_the_issue_as_html_at_two_widths_and_as_plain_text(
    editor_client, newsroom, django_assert_max_num_queries
):
    issue = services.issue_assemble(day=timezone.localdate(), intro="Good morning, readers.")
    with django_assert_max_num_queries(12):
        preview = editor_client.get(f"/admin/newsletter/issue/{issue.pk}/preview/")
    html = preview.content.decode()
    assert "Desktop, 600 px" in html and "Mobile, 390 px" in html
    assert 'class="mobile"' in html and "newsletter/admin/preview" in html
    from django.contrib.staticfiles import finders

    style = open(finders.find("newsletter/admin/preview.css")).read()
    assert ".mobile { width: 390px; }" in style
    assert "Lead: the Caspian summit" in html  # in the plain-text part
    assert "Good morning, readers." in html
    with django_assert_max_num_queries(12):
        frame = editor_client.get(f"/admin/newsletter/issue/{issue.pk}/preview/email/")
    assert frame["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in frame["Content-Security-Policy"]
    email_html = frame.content.decode()
    assert "Lead: the Caspian summit" in email_html and "<table" in email_html
    assert len(email_html.encode()) < 100_000


def test_an_editor_sends_a_test_to_themselves_through_the_real_mail_server(
    editor_client, editor, newsroom, settings
):
    server = SMTPServer().start()
    settings.MAILERS = server.mailers()
    try:
        Subscriber.objects.create(email="reader@example.com", status="active")
        issue = services.issue_assemble(day=timezone.localdate())
        response = editor_client.post(
            f"/admin/newsletter/issue/{issue.pk}/send/",
            {"action": "test", "to": "me@newsroom.example"}
        )  # fmt: skip
        assert response.status_code == 302
        [test] = server.sink.to("me@newsroom.example")
        assert test["Subject"] == f"[Test] {issue}"
        assert "Lead: the Caspian summit" in part(test, "html")
        assert not server.sink.to("reader@example.com")  # a test goes to nobody else
        assert not Delivery.objects.exists()
        issue.refresh_from_db()
        assert issue.status == Issue.Status.DRAFT
        server.stop()
        down = editor_client.post(
            f"/admin/newsletter/issue/{issue.pk}/send/",
            {"action": "test", "to": "me@newsroom.example"},
            follow=True,
        )  # fmt: skip
        assert "The mail server cannot be reached" in down.content.decode()
    finally:
        server.stop()


def test_an_editor_schedules_the_issue_and_it_goes_at_that_time(editor_client, newsroom):
    reader = Subscriber.objects.create(email="reader@example.com", status="active")
    issue = services.issue_assemble(day=timezone.localdate())
    Issue.objects.filter(pk=issue.pk).update(send_at=timezone.now() + timedelta(hours=1))
    editor_client.post(f"/admin/newsletter/issue/{issue.pk}/send/", {"action": "schedule"})
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SCHEDULED
    run_tasks()
    assert mail.outbox == []  # not yet: the task waits for its time
    page = editor_client.get(f"/admin/newsletter/issue/{issue.pk}/change/")
    assert "Scheduled: goes out" in page.content.decode()
    Issue.objects.filter(pk=issue.pk).update(send_at=timezone.now() - timedelta(seconds=1))
    run_tasks(due_now=True, rounds=20)
    assert [m.to for m in mail.outbox] == [[reader.email]]
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.SENT


def test_an_editor_sends_now_and_sees_the_figures_afterwards(editor_client, newsroom):
    for n in range(3):
        Subscriber.objects.create(email=f"r{n}@example.com", status="active")
    Subscriber.objects.create(email="pending@example.com", status="pending")
    issue = services.issue_assemble(day=timezone.localdate())
    editor_client.post(f"/admin/newsletter/issue/{issue.pk}/send/", {"action": "now"})
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "r0@example.com",
        "r1@example.com",
        "r2@example.com",
    ]
    listing = editor_client.get("/admin/newsletter/issue/")
    html = listing.content.decode()
    assert "Sent" in html
    figures = Issue.objects.with_figures().get(pk=issue.pk)
    assert (figures.sent_count, figures.failed_count, figures.unsubscribe_count) == (3, 0, 0)
    page = editor_client.get(f"/admin/newsletter/issue/{issue.pk}/change/").content.decode()
    assert "Sent 3 · failed 0" in page
    # Sending twice sends nothing more.
    again = editor_client.post(
        f"/admin/newsletter/issue/{issue.pk}/send/", {"action": "now"}, follow=True
    )
    assert "already going out" in again.content.decode()
    run_tasks()
    assert len(mail.outbox) == 3


def test_the_daily_issue_assembles_and_goes_by_itself_at_the_set_time(db, newsroom, settings):
    settings.NEWSLETTER_DAILY = True
    Subscriber.objects.create(email="reader@example.com", status="active")
    local_now = timezone.localtime()
    settings.NEWSLETTER_SEND_AT = (local_now + timedelta(minutes=30)).strftime("%H:%M")
    settings.NEWSLETTER_ASSEMBLE_MINUTES = 60
    if timezone.localdate(local_now + timedelta(minutes=30)) != local_now.date():
        pytest.skip("too close to midnight for a same-day send time")
    services.clock_run()
    issue = Issue.objects.get(date=timezone.localdate())
    assert issue.status == Issue.Status.SCHEDULED and issue.items.exists()
    assert mail.outbox == []
    services.clock_run()  # a second tick makes no second issue
    assert Issue.objects.count() == 1
    services.clock_run(now=issue.send_at + timedelta(seconds=1))
    run_tasks()
    assert [m.to for m in mail.outbox] == [["reader@example.com"]]


def test_a_translator_can_neither_see_nor_send_the_newsletter(translator_client, newsroom):
    issue = services.issue_assemble(day=timezone.localdate())
    assert translator_client.get("/admin/newsletter/issue/").status_code == 403
    response = translator_client.post(
        f"/admin/newsletter/issue/{issue.pk}/send/", {"action": "now"}
    )
    assert response.status_code == 403
    assert Issue.objects.get().status == Issue.Status.DRAFT
    with pytest.raises(services.PermissionDenied):
        services.issue_send(
            issue=issue, user=translator_client.session and _user(translator_client)
        )


def _user(client):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


def test_an_editor_sees_subscriber_counts_searches_and_exports_csv(editor_client, db):
    for status, n in [("pending", 2), ("active", 3), ("unsubscribed", 1), ("bounced", 1)]:
        for i in range(n):
            Subscriber.objects.create(email=f"{status}{i}@example.com", status=status)
    page = editor_client.get("/admin/newsletter/subscriber/").content.decode()
    for count, label in [
        (2, "pending confirmation"),
        (3, "active"),
        (1, "unsubscribed"),
        (1, "bounced"),
    ]:
        assert f"<strong>{count}</strong> {label}" in page
    found = editor_client.get("/admin/newsletter/subscriber/?q=bounced0").content.decode()
    assert "bounced0@example.com" in found and "active0@example.com" not in found
    export = editor_client.get("/admin/newsletter/subscriber/export/?status__exact=active")
    body = b"".join(export.streaming_content).decode()
    lines = body.strip().splitlines()
    assert lines[0] == "email,status,sections,subscribed,confirmed"
    assert sorted(line.split(",")[0] for line in lines[1:]) == [
        "active0@example.com", "active1@example.com", "active2@example.com"
    ]  # fmt: skip


def test_importing_a_list_never_resubscribes_someone_who_unsubscribed(editor_client, db):
    Subscriber.objects.create(email="left@example.com", status="unsubscribed")
    Subscriber.objects.create(email="bounced@example.com", status="bounced")
    Subscriber.objects.create(email="here@example.com", status="active")
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv_file = SimpleUploadedFile(
        "list.csv",
        b"name,email\nA,new@example.com\nB,LEFT@example.com\nC,bounced@example.com\n"
        b"D,here@example.com\nE,not an address\nF,a@b.c\r\nBcc: x@example.com\n",
        content_type="text/csv",
    )
    response = editor_client.post(
        "/admin/newsletter/subscriber/import/", {"file": csv_file}, follow=True
    )
    html = response.content.decode()
    assert "Imported 1 new subscribers" in html
    assert "2 had unsubscribed or bounced and stay so" in html
    assert "Line 6: Enter an address like name@example.com." in html
    statuses = dict(Subscriber.objects.values_list("email", "status"))
    assert statuses["left@example.com"] == "unsubscribed"
    assert statuses["bounced@example.com"] == "bounced"
    assert statuses["new@example.com"] == "active"
    assert not any("bcc" in e for e in statuses)
