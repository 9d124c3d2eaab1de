"""The front-matter keys, shared by Markdown front matter and JSON objects."""

from datetime import date, datetime

from .base import ParsedArticle, ParseError

KEYS = (
    "title", "slug", "standfirst", "authors", "category", "tags", "date", "status", "image",
    "image_caption", "image_credit", "source", "source_url", "original_title",
    "original_author", "source_language", "translator", "language",
)  # fmt: skip
# Other spellings an editor may reasonably use.
ALIASES = {"author": "authors", "tag": "tags", "published": "date", "published_at": "date",
           "original_date": "original_published", "original_published_on": "original_published",
           "summary": "standfirst", "lede": "standfirst"}  # fmt: skip
BODY_KEYS = ("body", "body_html", "body_markdown", "text")


def _names(value, key):
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return [str(v).strip() for v in value if str(v).strip()]
    raise ParseError(f"“{key}” must be a name or a list of names")


def _text(value, key):
    if value is None:
        return ""
    if isinstance(value, str | int | float):
        return str(value).strip()
    raise ParseError(f"“{key}” must be text, not {type(value).__name__}")


def parse_date(value, key="date"):
    """A date or date-time from YAML/JSON: a date object or an ISO-8601 string."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
        except ValueError:
            pass
    raise ParseError(f"“{key}” is not an ISO-8601 date: {value!r}")


def parsed_from_mapping(data, *, origin="", body_html=""):
    """A `ParsedArticle` from a mapping with the front-matter keys (unknown keys ignored)."""
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise ParseError(f"expected an object with the front-matter keys, got {kind}")
    data = {ALIASES.get(str(k).lower(), str(k).lower()): v for k, v in data.items()}
    parsed = ParsedArticle(origin=origin, body_html=body_html)
    for key in ("title", "slug", "standfirst", "category", "status", "image", "image_caption",
                "image_credit", "source", "source_url", "original_title", "original_author",
                "source_language", "language"):  # fmt: skip
        setattr(parsed, key, _text(data.get(key), key))
    parsed.authors = _names(data.get("authors"), "authors")
    parsed.tags = _names(data.get("tags"), "tags")
    translator = data.get("translator")
    parsed.translator = ", ".join(_names(translator, "translator")) if translator else ""
    parsed.published = parse_date(data.get("date"))
    original = parse_date(data.get("original_published"), "original_published")
    if isinstance(original, datetime):
        parsed.original_published, parsed.original_published_time = original.date(), original.time()
    else:
        parsed.original_published = original
    return parsed
