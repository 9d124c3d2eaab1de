"""A reader who forgot their password gets a reset mail; nobody can flood an address with
them (issue 16)."""

from django.contrib.auth import get_user_model
from django.core import mail


def ask_for_reset(client, email):
    response = client.post("/accounts/password_reset/", {"email": email})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_reset/done/"


def test_a_reader_gets_a_reset_mail(client, db):
    get_user_model().objects.create_user("leyla", "leyla@example.com", "old-pass-123")
    ask_for_reset(client, "leyla@example.com")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["leyla@example.com"]
    assert "/accounts/reset/" in mail.outbox[0].body


def test_reset_mail_to_one_address_is_rate_limited_and_the_answer_never_changes(
    client, db, settings
):
    settings.DIGEST_PASSWORD_RESETS_PER_HOUR = 3
    get_user_model().objects.create_user("leyla", "leyla@example.com", "old-pass-123")
    get_user_model().objects.create_user("aygun", "aygun@example.com", "old-pass-456")
    for _ in range(10):
        ask_for_reset(client, "Leyla@Example.com")
    assert len(mail.outbox) == 3
    ask_for_reset(client, "aygun@example.com")  # another address is not held back
    assert [message.to for message in mail.outbox[3:]] == [["aygun@example.com"]]
