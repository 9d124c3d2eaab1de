"""The operator puts Digest on the internet: `check --deploy` is clean and every header the
MDN HTTP Observatory grades is present on public pages, the admin, and sign-in."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "digest.settings.production",
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "digest.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://digest.example.com",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
    # nginx in front (issue 16: check --deploy verifies the client address behind it).
    "AXES_PROXY_COUNT": "1",
    # Production sends mail (password resets, error reports): check --deploy insists on SMTP.
    "EMAIL_HOST": "smtp.example.com",
}


def production_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DIGEST_"))}
    env.pop("DEBUG", None)
    return {**env, **PRODUCTION_ENV, **extra}


def test_check_deploy_gives_no_warning_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def run_with_backstage_admin(code):
    """Run *code* after django.setup() in a production process with ADMIN_URL=backstage-7f3."""
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env=production_env(ADMIN_URL="backstage-7f3"),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_admin_url_comes_from_the_environment():
    result = run_with_backstage_admin(
        "from django.urls import reverse; print(reverse('admin:index'))"
    )
    assert result.stdout.strip() == "/backstage-7f3/", result.stderr


def test_page_cache_leaves_the_admin_alone_at_its_own_address():
    result = run_with_backstage_admin(
        "from pagecache.middleware import _excluded; "
        "print(_excluded('/backstage-7f3/articles/article/'), _excluded('/admin/x/'))"
    )
    assert result.stdout.split() == ["True", "False"], result.stderr


def csp_directives(response):
    policy = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part
    }


def assert_observatory_headers(response):
    """Every test of the MDN HTTP Observatory, as headers on one response."""
    csp = csp_directives(response)
    assert csp["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    max_age = int(re.search(r"max-age=(\d+)", response["Strict-Transport-Security"]).group(1))
    assert max_age >= 15768000  # six months, the Observatory's threshold
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "Access-Control-Allow-Origin" not in response


@pytest.fixture
def production_security(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 63072000


def https_get(client, url):
    return client.get(url, headers={"x-forwarded-proto": "https"})


def test_every_observatory_header_is_on_public_pages(client, seeded, production_security):
    from articles.models import Article

    article = Article.objects.published().first()
    for url in ["/", article.category.get_absolute_url(), article.get_absolute_url()]:
        response = https_get(client, url)
        assert response.status_code == 200, url
        assert article.title in response.text or url != article.get_absolute_url()
        assert_observatory_headers(response)


def test_admin_and_sign_in_pages_carry_the_headers_and_deny_framing(
    client, seeded, production_security
):
    for url in [f"/{settings.ADMIN_URL}login/", "/accounts/login/"]:
        response = https_get(client, url)
        assert response.status_code == 200, url
        assert_observatory_headers(response)
        assert "csrfmiddlewaretoken" in response.text


def test_the_admin_may_use_inline_styles_but_never_inline_scripts(client, db, production_security):
    csp = csp_directives(https_get(client, f"/{settings.ADMIN_URL}login/"))
    assert "'unsafe-inline'" in csp["style-src"]
    assert "'unsafe-inline'" not in csp["script-src"]
    public = csp_directives(https_get(client, "/accounts/login/"))
    assert public["style-src"] == ["'self'"]


def test_cookies_are_secure_httponly_and_same_site(client, db, production_security):
    response = https_get(client, "/accounts/login/")
    cookie = response.cookies[settings.CSRF_COOKIE_NAME]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert settings.SESSION_COOKIE_HTTPONLY


def test_plain_http_is_redirected_to_https_behind_the_proxy(client, db, production_security):
    response = client.get("/", headers={"x-forwarded-proto": "http"})
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_public_pages_have_no_inline_script_or_event_handler(client, seeded):
    from articles.models import Article

    article = Article.objects.published().first()
    for url in ["/", article.get_absolute_url(), "/no-such-page/", "/accounts/login/"]:
        html = client.get(url).text
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)", html), url
        assert not re.search(r"\son[a-z]+\s*=", html), url
