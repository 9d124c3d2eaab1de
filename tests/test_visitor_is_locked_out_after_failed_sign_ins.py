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


# --- Behind nginx (issue 16): the client's own address, never the proxy's or a forged one -----

NGINX = "127.0.0.1"
ATTACKER, EDITOR_AT_HOME = "203.0.113.66", "198.51.100.23"


def through_nginx(client_address, forged=""):
    """What gunicorn sees of a request nginx passed on: nginx's own address, and the client's
    appended to whatever X-Forwarded-For the client sent itself."""
    header = ", ".join(filter(None, [forged, client_address]))
    return {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_FOR": header}


@pytest.fixture
def behind_nginx(settings, axes_on):
    settings.DIGEST_PROXY_COUNT = 1


@pytest.mark.parametrize(
    "url", [f"/{settings.ADMIN_URL}login/", "/accounts/login/"], ids=["admin", "public"]
)
def test_an_attackers_failures_behind_the_proxy_never_lock_the_editor_out_from_elsewhere(
    client, editor, behind_nginx, url
):
    for _ in range(3):
        response = client.post(
            url, {"username": "editor", "password": "wrong"}, **through_nginx(ATTACKER)
        )
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.text

    response = client.post(
        url,
        {"username": "editor", "password": "right-horse-battery"},
        **through_nginx(EDITOR_AT_HOME),
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_the_attackers_own_address_stays_locked_for_that_user(client, editor, behind_nginx):
    for _ in range(3):
        client.post(
            "/accounts/login/", {"username": "editor", "password": "x"}, **through_nginx(ATTACKER)
        )
    response = client.post(
        "/accounts/login/",
        {"username": "editor", "password": "right-horse-battery"},
        **through_nginx(ATTACKER),
    )
    assert response.status_code == 429


def test_a_forged_x_forwarded_for_cannot_pin_failures_on_someone_elses_address(
    client, editor, behind_nginx
):
    # The attacker claims to be the editor's address; nginx appends the real one.
    for _ in range(3):
        client.post(
            "/accounts/login/",
            {"username": "editor", "password": "wrong"},
            **through_nginx(ATTACKER, forged=EDITOR_AT_HOME),
        )
    response = client.post(
        "/accounts/login/",
        {"username": "editor", "password": "right-horse-battery"},
        **through_nginx(EDITOR_AT_HOME),
    )
    assert response.status_code == 302


def test_without_a_configured_proxy_x_forwarded_for_is_never_read(client, editor, axes_on):
    from axes.models import AccessAttempt

    for forged in ["198.51.100.1", "198.51.100.2", "198.51.100.3"]:
        client.post(
            "/accounts/login/",
            {"username": "editor", "password": "wrong"},
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=forged,
        )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [ATTACKER]
    response = client.post(
        "/accounts/login/",
        {"username": "editor", "password": "right-horse-battery"},
        REMOTE_ADDR=ATTACKER,
    )
    assert response.status_code == 429


def test_check_deploy_fails_when_proxies_are_configured_but_the_address_cannot_be_derived(
    settings,
):
    from digest.checks import check_client_address_behind_proxies

    settings.DIGEST_PROXY_COUNT = 1
    assert check_client_address_behind_proxies() == []
    # django-axes on its own (no client-address callable, no ipware): nginx's address for all.
    settings.AXES_CLIENT_IP_CALLABLE = None
    errors = check_client_address_behind_proxies()
    assert [error.id for error in errors] == ["digest.E003"]
    assert "counts as '198.51.100.1'" in errors[0].msg
    settings.DIGEST_PROXY_COUNT = 2  # a load balancer in front of nginx
    settings.AXES_CLIENT_IP_CALLABLE = "digest.clientip.client_ip"
    assert check_client_address_behind_proxies() == []
