"""What an issue looks like: its sections (read through `Article.objects.published()`), the
e-mail's HTML (a table layout whose CSS css-inline puts into style attributes) and plain
text, and the message each subscriber gets (their own signed links and headers)."""

import hashlib
from dataclasses import dataclass
from email.utils import formataddr, parseaddr

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse

from articles.models import Article, SiteIdentity

from .tokens import manage_token

# Per-subscriber links are put into the rendered issue by replacing these.
UNSUBSCRIBE_MARK = "__NEWSLETTER_UNSUBSCRIBE_URL__"
PREFERENCES_MARK = "__NEWSLETTER_PREFERENCES_URL__"

_inliner = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


def absolute(path):
    """*path* on the public site (e-mail links and images must be absolute)."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.NEWSLETTER_BASE_URL.rstrip("/") + path


def issue_articles(issue):
    """The issue's published articles in the editor's order, each with `item_section`."""
    return list(
        Article.objects.published()
        .for_cards()
        .filter(newsletter_items__issue=issue)
        .annotate(
            item_position=F("newsletter_items__position"),
            item_section=F("newsletter_items__section"),
        )
        .order_by("item_position", "newsletter_items__pk")
    )


def issue_sections(articles, category_ids=None):
    """[{"heading", "articles"}]: consecutive articles under one heading (an item without a
    heading continues the section above). With *category_ids* (a reader's edition), only
    articles of those categories or their sub-categories."""
    sections = []
    heading = ""
    for article in articles:
        heading = article.item_section or heading
        if category_ids and not (
            article.category_id in category_ids or article.category.parent_id in category_ids
        ):
            continue
        if not sections or sections[-1]["heading"] != heading:
            sections.append({"heading": heading, "articles": []})
        sections[-1]["articles"].append(article)
    return sections


@dataclass
class RenderedIssue:
    """An issue rendered for one edition, with placeholders for the subscriber's links."""

    subject: str
    html: str
    text: str
    is_empty: bool


def issue_render(issue, articles, category_ids=None):
    sections = issue_sections(articles, category_ids)
    identity = SiteIdentity.current()
    for section in sections:
        for article in section["articles"]:
            article.absolute_url = absolute(article.get_absolute_url())
            image = article.image_url(600) if article.featured_image else ""
            article.absolute_image = absolute(image) if image else ""
    context = {
        "issue": issue,
        "subject": str(issue),
        "sections": sections,
        "intro_paragraphs": [p.strip() for p in issue.intro.split("\n\n") if p.strip()],
        "site_name": identity.name or "Digest",
        "site_url": absolute("/"),
        "issue_url": absolute(issue.get_absolute_url()),
        "unsubscribe_url": UNSUBSCRIBE_MARK,
        "preferences_url": PREFERENCES_MARK,
        "edition": "your sections" if category_ids else "the whole daily digest",
    }
    html = render_to_string("newsletter/email/issue.html", context)
    text = render_to_string("newsletter/email/issue.txt", context)
    return RenderedIssue(
        subject=str(issue), html=_inliner.inline(html), text=text, is_empty=not sections
    )


def _from_address():
    name, address = parseaddr(settings.NEWSLETTER_FROM_EMAIL)
    return formataddr((name, address)), address


def message_id(issue, subscriber):
    """The same Message-ID whenever this issue is sent to this subscriber."""
    _, sender = _from_address()
    domain = sender.rpartition("@")[2] or "localhost"
    tag = hashlib.sha256(f"{issue.pk}:{subscriber.pk}".encode()).hexdigest()[:12]
    return f"<digest-{issue.date:%Y%m%d}-{issue.pk}-{subscriber.pk}-{tag}@{domain}>"


def subscriber_links(subscriber, issue=None):
    token = manage_token(subscriber, issue)
    return (
        absolute(reverse("newsletter:unsubscribe", args=[token])),
        absolute(reverse("newsletter:preferences", args=[token])),
    )


def list_id():
    domain = _from_address()[1].rpartition("@")[2] or "localhost"
    return f"The Daily Digest <daily.{domain}>"


def message_build(*, rendered, issue, subscriber):
    """The e-mail *subscriber* gets: both parts, their own signed links, RFC 8058 headers.
    (Bulk sending writes the same message faster: newsletter/mime.py.)"""
    unsubscribe, preferences = subscriber_links(subscriber, issue)
    sender, _ = _from_address()
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text.replace(UNSUBSCRIBE_MARK, unsubscribe).replace(
            PREFERENCES_MARK, preferences
        ),
        from_email=sender,
        to=[subscriber.email],
        headers={
            "Message-ID": message_id(issue, subscriber),
            "List-Id": list_id(),
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        rendered.html.replace(UNSUBSCRIBE_MARK, unsubscribe).replace(PREFERENCES_MARK, preferences),
        "text/html",
    )
    return message


def sender_address():
    """(the From header, the bare address for MAIL FROM)."""
    return _from_address()
