"""Repeated failed sign-ins, on the admin or the public page, lock the account out (axes)."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user(
        "editor", password="right-horse-battery", is_staff=True, is_superuser=True
    )


def fail_sign_ins(client, url, times):
    for _ in range(times):
        response = client.post(url, {"username": "editor", "password": "wrong"})
    return response


@pytest.mark.parametrize(
    "url", [f"/{settings.ADMIN_URL}login/", "/accounts/login/"], ids=["admin", "public"]
)
def test_after_the_failure_limit_even_the_right_password_is_refused(client, editor, axes_on, url):
    response = fail_sign_ins(client, url, 2)
    assert response.status_code == 200  # the form again, not yet locked
    response = fail_sign_ins(client, url, 1)
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.text

    response = client.post(url, {"username": "editor", "password": "right-horse-battery"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_successful_sign_in_before_the_limit_resets_the_count(client, editor, axes_on):
    fail_sign_ins(client, "/accounts/login/", 2)
    response = client.post(
        "/accounts/login/", {"username": "editor", "password": "right-horse-battery"}
    )
    assert response.status_code == 302
    client.logout()
    response = fail_sign_ins(client, "/accounts/login/", 2)
    assert response.status_code == 200


def test_a_lockout_on_one_address_does_not_lock_other_users_out(client, editor, axes_on):
    get_user_model().objects.create_user("writer", password="another-good-pass")
    fail_sign_ins(client, "/accounts/login/", 3)
    response = client.post(
        "/accounts/login/",
        {"username": "writer", "password": "another-good-pass"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
