"""A staff member who forgot their password gets an e-mail whose link points at this site,
on the address they used (checked against ALLOWED_HOSTS), named as the site calls itself: not
the Sites framework's example.com."""

import re

from django.core import mail


def reset(client, **extra):
    response = client.post("/accounts/password_reset/", {"email": "desk@aze.media"}, **extra)
    assert response.status_code == 302 and response["Location"] == "/accounts/password_reset/done/"
    [message] = mail.outbox
    return message


def test_the_reset_link_is_on_the_host_the_reader_asked_for(client, seeded, make_staff, settings):
    make_staff("Editor", username="desk", email="desk@aze.media")
    message = reset(client)
    links = re.findall(r"https?://\S+", message.body)
    assert links and all(link.startswith("http://testserver/accounts/reset/") for link in links)
    assert "example.com" not in message.body and "example.com" not in message.subject
    assert "Aze.Media" in message.subject + message.body
    mail.outbox.clear()
    settings.ALLOWED_HOSTS = ["news.aze.media"]
    message = reset(client, HTTP_HOST="news.aze.media", secure=True)
    assert re.search(r"https://news\.aze\.media/accounts/reset/[^/]+/[^/]+/", message.body)


def test_a_forged_host_gets_no_e_mail(client, seeded, make_staff, settings):
    make_staff("Editor", username="desk", email="desk@aze.media")
    settings.ALLOWED_HOSTS = ["news.aze.media"]
    response = client.post(
        "/accounts/password_reset/", {"email": "desk@aze.media"}, HTTP_HOST="evil.example"
    )
    assert response.status_code == 400
    assert mail.outbox == []
