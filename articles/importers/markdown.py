"""Markdown with YAML front matter (``.md``): the front-matter keys between ``---`` lines,
then the body in Markdown. With no ``title`` key, a leading ``# Heading`` is the title."""

import re

import yaml
from markdown_it import MarkdownIt

from .base import ParseError
from .mapping import parsed_from_mapping

FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
HEADING_RE = re.compile(r"\A\s*#\s+(?P<title>[^\n]+?)\s*#*\s*(?:\n|\Z)")
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# CommonMark with tables and strikethrough; raw HTML passes to the sanitiser, which decides.
_renderer = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def render_markdown(text):
    """Markdown to HTML (sanitised later, by the service that saves)."""
    return _renderer.render(text)


def parse_markdown(text, *, origin=""):
    meta, body = {}, text.lstrip("\ufeff")
    if match := FRONT_MATTER_RE.match(body):
        try:
            # libyaml's safe loader when built in: the same rules as safe_load, 7× faster.
            meta = yaml.load(match["yaml"] or "", Loader=SafeLoader) or {}  # noqa: S506
        except yaml.YAMLError as error:
            where = getattr(error, "problem_mark", None)
            line = f" (line {where.line + 2})" if where else ""
            reason = getattr(error, "problem", None) or str(error).splitlines()[0]
            raise ParseError(f"YAML error in the front matter{line}: {reason}") from error
        if not isinstance(meta, dict):
            raise ParseError("the front matter is not a set of “key: value” lines")
        body = body[match.end() :]
    elif body.startswith("---"):
        raise ParseError("the front matter has no closing “---” line")
    if not meta.get("title") and (heading := HEADING_RE.match(body)):
        meta["title"] = heading["title"]
        body = body[heading.end() :]
    parsed = parsed_from_mapping(meta, origin=origin)
    parsed.body_html = render_markdown(body)
    return parsed
