"""In Chromium (issue 19): an editor schedules a draft with the "Schedule…" button, told first
what readers will see and when."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser import browser, leave, needs_chromium, sign_in

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.django_db(transaction=True)]
__all__ = ["browser"]


def test_editor_schedules_a_draft_with_the_buttons(browser, live_server, make_staff, make_article):
    from articles.models import Article

    make_staff("Editor", username="aygun")
    draft = make_article(title="Wind park opens", status=Article.Status.DRAFT, published_at=None)
    context, page = sign_in(browser, live_server.url, "aygun")
    page.goto(f"{live_server.url}/admin/articles/article/{draft.pk}/change/")
    buttons = [b.strip() for b in page.locator("button[name=publish_action]").all_inner_texts()]
    assert buttons == ["Save draft", "Submit for review", "Publish now", "Schedule…"]

    page.click("button[name=publish_action][value=schedule]")
    dialog = page.locator("#desk-confirm")
    dialog.wait_for(state="visible")
    when = timezone.localtime() + timedelta(days=2)
    page.fill("#desk-schedule-at", f"{when:%Y-%m-%d}T09:00")
    text = dialog.locator(".desk-dialog-text").inner_text()
    assert f"Readers will see nothing until {when.day} {when:%b %Y}, 09:00 (Asia/Baku)" in text
    assert "“Wind park opens” appears by itself" in text
    page.click("#desk-confirm .desk-dialog-confirm")
    page.wait_for_selector(".messagelist .success")

    assert "is scheduled for" in page.inner_text(".messagelist")
    draft.refresh_from_db()
    assert draft.is_scheduled and not draft.is_public
    local = timezone.localtime(draft.published_at)
    assert (local.date(), local.strftime("%H:%M")) == (when.date(), "09:00")
    assert "Scheduled for" in page.inner_text(".desk-state")
    buttons = [b.strip() for b in page.locator("button[name=publish_action]").all_inner_texts()]
    assert buttons == ["Update", "Publish now", "Reschedule…", "Unpublish"]

    # Cancel leaves everything as it was.
    page.click("button[name=publish_action][value=unpublish]")
    page.click("#desk-confirm .desk-dialog-cancel")
    draft.refresh_from_db()
    assert draft.is_scheduled
    leave(context)
