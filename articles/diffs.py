"""Readable differences between two versions of a text (issue 19): the words added and removed,
paragraph by paragraph, from the text a reader reads (tags dropped), not from the HTML."""

import difflib
import html
import re

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

BLOCK_END_RE = re.compile(r"</(p|h[1-6]|li|blockquote|figcaption|tr|pre)>|<br\s*/?>", re.I)


def plain_paragraphs(value):
    """The paragraphs of an HTML or plain *value*, as text."""
    text = BLOCK_END_RE.sub("\n\n", str(value or ""))
    text = html.unescape(strip_tags(text))
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def word_diff(before, after):
    """(HTML with <del>/<ins> around the words removed and added, words removed, words added).

    Paragraph breaks count as words, so a split or joined paragraph shows where it happened."""
    old = _words(before)
    new = _words(after)
    parts, removed, added = [], 0, 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(_render(old[i1:i2]))
            continue
        if op in ("delete", "replace"):
            gone = old[i1:i2]
            removed += sum(1 for w in gone if w != "\n")
            parts.append(f'<del class="desk-del">{_render(gone, "¶")}</del>')
        if op in ("insert", "replace"):
            came = new[j1:j2]
            added += sum(1 for w in came if w != "\n")
            parts.append(f'<ins class="desk-ins">{_render(came, "¶")}</ins>')
    body = " ".join(part for part in parts if part)
    body = body.replace(" <br> ", "</p><p>").replace("<br> ", "</p><p>").replace(" <br>", "</p><p>")
    return mark_safe(f"<p>{body}</p>"), removed, added  # noqa: S308 (every word is escaped)  # nosec


def _words(value):
    words = []
    for paragraph in plain_paragraphs(value):
        if words:
            words.append("\n")
        words.extend(paragraph.split())
    return words


def _render(words, paragraph_break="<br>"):
    # A paragraph break inside a change is shown as ¶, so tags never cross a <del>/<ins>.
    return " ".join(paragraph_break if w == "\n" else escape(w) for w in words)


def summary(removed, added):
    def count(n, what):
        return f"{n} word{'' if n == 1 else 's'} {what}"

    return ", ".join(
        part
        for n, part in ((removed, count(removed, "removed")), (added, count(added, "added")))
        if n
    )
