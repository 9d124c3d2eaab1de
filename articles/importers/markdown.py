"""Markdown with YAML front matter (``.md``): the front-matter keys between ``---`` lines,
then the body in Markdown. With no ``title`` key, a leading ``# Heading`` is the title."""

import re

import markdown
import yaml

from .base import ParseError
from .mapping import parsed_from_mapping

FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
HEADING_RE = re.compile(r"\A\s*#\s+(?P<title>[^\n]+?)\s*#*\s*(?:\n|\Z)")
EXTENSIONS = ["extra", "sane_lists"]
_renderer = None


def render_markdown(text):
    """Markdown to HTML (sanitised later, by the service that saves)."""
    global _renderer
    if _renderer is None:  # building the renderer costs more than using it
        _renderer = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
    return _renderer.reset().convert(text)


def parse_markdown(text, *, origin=""):
    meta, body = {}, text.lstrip("\ufeff")
    if match := FRONT_MATTER_RE.match(body):
        try:
            meta = yaml.safe_load(match["yaml"] or "") or {}
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
