"""Two editors, one article (issue 19): when a save comes from a copy someone else has saved
over since, say exactly which fields they changed, merge what only one side changed, and put
both versions side by side for the rest.

The form carries a fingerprint of each field as it was when the copy was opened
(`opened_fingerprints`, signed). Against the article as it is now and the form as submitted,
a field is *theirs* (only they changed it), *mine* (only this editor did) or *both* (each
changed it, differently). Nothing is saved from a stale copy: the form comes back with their
changes to *theirs* fields filled in, this editor's kept, and the *both* fields shown twice,
each with a "use their version" choice for the next save.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

from django.core import signing
from django.core.files import File
from django.utils import timezone
from django.utils.html import strip_tags

from ..models import Translation

SALT = "articles.desk.fingerprints"
# The provenance inline's fields, compared like the article's own (prefix "translation-0-").
PROVENANCE_FIELDS = (
    "source", "source_url", "original_title", "original_author", "source_language",
    "original_published_on", "original_published_time", "translator",
)  # fmt: skip
PROVENANCE_PREFIX = "translation-0-"


def canonical(value):
    """A value as compared: text with its spacing collapsed, rows by key, times to the second
    in UTC (a revision keeps milliseconds, the form seconds), lists sorted, tuples in order."""
    if value is None:
        return ""
    if isinstance(value, File):
        return value.name or ""
    if hasattr(value, "pk"):
        return str(value.pk)
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = value.astimezone(timezone.UTC)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, tuple):  # an order that counts (the byline's)
        return [canonical(item) for item in value]
    if isinstance(value, list | set):
        return sorted(canonical(item) for item in value)
    if isinstance(value, bool):
        return "1" if value else ""
    return " ".join(str(value).split())


def fingerprint(value):
    text = json.dumps(canonical(value), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def stored_values(article, names):
    """What *article* holds now for each form field in *names*, and its provenance's."""
    values = {}
    for name in names:
        if name == "authors":
            # The byline's order counts (issue 16): a tuple, compared in order.
            values[name] = tuple(a.pk for a in article.authors.all()) if article.pk else ()
        elif name == "tags":
            values[name] = [t.name.casefold() for t in article.tags.all()] if article.pk else []
        else:
            values[name] = getattr(article, name, None)
    record = Translation.objects.filter(article=article).first() if article.pk else None
    for name in PROVENANCE_FIELDS:
        values[PROVENANCE_PREFIX + name] = getattr(record, name, None) if record else None
    return values


def sign(values):
    return signing.dumps({name: fingerprint(value) for name, value in values.items()}, salt=SALT)


def unsign(token):
    try:
        return signing.loads(token or "", salt=SALT)
    except signing.BadSignature:
        return None


@dataclass
class Conflict:
    """What a stale save found; the form shows it and the change form template lays it out."""

    opened_version: int
    current_version: int
    saved_by: str = ""
    saved_at: datetime | None = None
    theirs: list[str] = field(default_factory=list)  # labels of what only they changed
    both: list[dict] = field(default_factory=list)  # {name, label, theirs, mine}
    merged: list[str] = field(default_factory=list)  # labels of their changes now in the form
    unmergeable: list[str] = field(default_factory=list)  # theirs, but not put in the form

    @property
    def their_labels(self):
        return [*self.theirs, *(item["label"] for item in self.both)]


def readable(value):
    """A value as the side-by-side panel shows it: a body as its text, rows by name."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "(none)"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return " ".join(strip_tags(text).split()) if "<" in text else text
