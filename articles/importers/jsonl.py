"""JSON (``.json``: one object or a list of objects) and JSON Lines (``.jsonl``: one object
a line, read line by line so memory does not grow with the file). Objects carry the
front-matter keys, and the body as ``body`` (HTML), ``body_markdown`` or ``text`` (plain
paragraphs separated by blank lines)."""

import json
import re

from .base import ParseError, paragraphs_html
from .mapping import parsed_from_mapping


def parsed_from_object(data, *, origin=""):
    from .markdown import render_markdown

    parsed = parsed_from_mapping(data, origin=origin)
    if data.get("body") or data.get("body_html"):
        body = data.get("body") or data.get("body_html")
        if not isinstance(body, str):
            raise ParseError("“body” must be text (HTML)")
        parsed.body_html = body
    elif data.get("body_markdown"):
        parsed.body_html = render_markdown(str(data["body_markdown"]))
    elif data.get("text"):
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", str(data["text"]))]
        parsed.paragraphs = [p for p in paragraphs if p]
        parsed.body_html = paragraphs_html(parsed.paragraphs)
    return parsed


# What Python's JSON parser says (its message up to the position), for an editor (issue 19).
JSON_REASONS = {
    "Invalid control character at": "a control character (a raw tab or line break) inside a "
    "string; write it as \\t or \\n",
    "Expecting value": "a value is missing here, or this is not JSON",
    "Expecting property name enclosed in double quotes": "a key must be in double quotes "
    '("title"), and no comma may come before a closing brace',
    "Illegal trailing comma before end of object": "a comma before a closing brace: remove it",
    "Illegal trailing comma before end of array": "a comma before a closing bracket: remove it",
    "Expecting ',' delimiter": "a comma is missing between two items",
    "Expecting ':' delimiter": "a colon is missing after a key",
    "Unterminated string starting at": 'a string is not closed (a missing ")',
    "Extra data": "there is more after the end of the object (one object a line, or one "
    "object or list a file)",
    "Invalid \\escape": "an unknown backslash escape (write a backslash as \\\\)",
    "Invalid \\uXXXX escape": "a \\u escape needs four hexadecimal digits",
    "Unpaired high surrogate": "a \\u escape is half of a character",
    "Unpaired low surrogate": "a \\u escape is half of a character",
}


def json_reason(error: json.JSONDecodeError) -> str:
    """A readable reason for *error*: where (line, column) and what is wrong."""
    reason = JSON_REASONS.get(error.msg, error.msg[:1].lower() + error.msg[1:])
    return f"line {error.lineno}, column {error.colno}: {reason}"


def parse_json(text, *, origin=""):
    """Every piece of a JSON file, as (origin, ParsedArticle or ParseError)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ParseError(f"not JSON: {json_reason(error)}") from error
    items = data if isinstance(data, list) else [data]
    for index, item in enumerate(items, start=1):
        where = f"{origin}[{index}]" if isinstance(data, list) else origin
        try:
            yield where, parsed_from_object(item, origin=where)
        except ParseError as error:
            yield where, error


def iter_jsonl(stream, *, origin="", max_line_bytes=None):
    """Every line of a JSON Lines byte stream, as (origin with line number, ParsedArticle or
    ParseError). Blank lines are skipped."""
    for number, raw in enumerate(stream, start=1):
        where = f"{origin}:{number}"
        if not raw.strip():
            continue
        if max_line_bytes and len(raw) > max_line_bytes:
            yield where, ParseError(f"the line is larger than the limit ({max_line_bytes} bytes)")
            continue
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            yield where, ParseError(f"line {number} is not UTF-8 text")
            continue
        except json.JSONDecodeError as error:
            reason = JSON_REASONS.get(error.msg, error.msg[:1].lower() + error.msg[1:])
            yield where, ParseError(f"line {number} is not JSON: column {error.colno}: {reason}")
            continue
        try:
            yield where, parsed_from_object(data, origin=where)
        except ParseError as error:
            yield where, error
