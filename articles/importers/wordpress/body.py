"""A WordPress post body as Digest keeps it.

In the order WordPress itself renders a post: block comments out (block-editor bodies keep
their markup; an embed block becomes a link card), embeds on their own line become link cards
(WordPress's autoembed, without any third-party script: the CSP stays strict), `wpautop` for
classic bodies, then the shortcodes: ``[caption]`` → figure and figcaption, ``[gallery]`` →
its images, ``[embed]`` → a link card, ``[audio]`` (and an ``<audio>`` player) → a link to the
recording; any other shortcode stays as text and is listed.
Images under ``/wp-content/uploads/`` are mapped back to the original upload (the ``-300x200``
size suffix dropped) and replaced by the project's own images; a link to an upload of the old
site that is not an image (a PDF, an Office document, audio) points at that file in Digest's
Files library; other links to the old site are made relative, to be pointed at their new
addresses once every post is in (`links_rewrite`).
The project's sanitiser runs last, in the service that saves.
"""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .autop import wpautop

BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:[^>]*?-->\n?", re.S)
EMBED_BLOCK = re.compile(
    r"<!--\s*wp:(?:core-)?embed(?:/[\w-]+)?\s+(\{.*?\})\s*-->(.*?)<!--\s*/wp:(?:core-)?embed"
    r"(?:/[\w-]+)?\s*-->",
    re.S,
)
EMBED_URL = re.compile(r'"url"\s*:\s*"([^"]+)"')
# WordPress's autoembed: a URL alone on its line.
OWN_LINE_URL = re.compile(r"^(?:<p>)?\s*(https?://[^\s<>\"]+)\s*(?:</p>)?$", re.M)
EMBED_HOSTS = {
    "youtube.com": "Video on YouTube", "youtu.be": "Video on YouTube",
    "twitter.com": "Post on X", "x.com": "Post on X", "vimeo.com": "Video on Vimeo",
    "instagram.com": "Post on Instagram", "facebook.com": "Post on Facebook",
    "soundcloud.com": "Audio on SoundCloud", "tiktok.com": "Video on TikTok",
}  # fmt: skip
# get_shortcode_regex(), for any tag name.
SHORTCODE = re.compile(
    r"\[(\[?)([a-zA-Z][\w-]*)(?![\w-])([^\]\[/]*(?:/(?!\])[^\]\[/]*)*?)(?:(/)\]|\](?:([^\[]*(?:\[(?!/\2\])[^\[]*)*)\[/\2\])?)(\]?)",
    re.S,
)
SHORTCODE_ATTR = re.compile(
    r'([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*\'([^\']*)\'(?:\s|$)|([\w-]+)\s*=\s*([^\s\'"]+)(?:\s|$)|"([^"]*)"(?:\s|$)|\'([^\']*)\'(?:\s|$)|(\S+)(?:\s|$)'
)
SIZE_SUFFIX = re.compile(r"-(?:\d+x\d+|scaled|rotated)(?=\.[A-Za-z0-9]+$)")
UPLOADS = "/wp-content/uploads/"
IMG_TAG = re.compile(r"<img\b[^>]*>", re.I)
ATTR = re.compile(r'([\w:-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|([^\s>]+))')
HREF = re.compile(r'(<a\b[^>]*?\bhref\s*=\s*)(["\'])(.*?)\2', re.I | re.S)
HANDLED = {"caption", "wp_caption", "gallery", "embed", "audio"}
# shortcode_unautop(): a shortcode alone in a paragraph is not wrapped in one.
SHORTCODE_PARAGRAPH = re.compile(
    r"<p>\s*(\[(caption|wp_caption|gallery|embed|audio)\b[^\]]*\](?:.*?\[/\2\])?)"
    r"\s*(?:<br />\s*)?</p>",
    re.S,
)
# The block editor's audio block, or an <audio> written by hand: the sanitiser keeps no player,
# so it becomes a link to the recording (then pointed at its copy in the Files library).
AUDIO_TAG = re.compile(r"<audio\b([^>]*)>(.*?)</audio>", re.I | re.S)
SOURCE_TAG = re.compile(r"<source\b[^>]*>", re.I)
AUDIO_SHORTCODE_KEYS = ("src", "mp3", "m4a", "ogg", "wav")


@dataclass
class BodyImage:
    """An image of the body once it is in Digest."""

    src: str
    alt: str = ""
    pk: int | None = None
    caption: str = ""
    href: str = ""  # the original file in Digest, for links to the full-size upload


@dataclass
class BodyContext:
    """What the clean-up needs from the rest of the import."""

    old_hosts: set[str] = field(default_factory=set)
    # attachment id → its URL (for [gallery ids=...] and captions' attachment_N)
    attachment_url: Callable[[int], str] = lambda _id: ""
    attachment_alt: Callable[[int], str] = lambda _id: ""
    children: Callable[[int], list[int]] = lambda _id: []
    # an uploads URL → the image in Digest, or None (missing, refused, --skip-media)
    image_for: Callable[[str], BodyImage | None] = lambda _url: None
    # an uploads URL of the old site that is not an image → the address of that file in
    # Digest, or None (missing, refused, --skip-media): the link then keeps the old address
    file_for: Callable[[str], str | None] = lambda _url: None


@dataclass
class CleanBody:
    html: str
    unknown_shortcodes: list[str] = field(default_factory=list)
    internal_links: bool = False
    images: list[str] = field(default_factory=list)  # uploads URLs found
    files: list[str] = field(default_factory=list)  # links to files left on the old site
    provenance_line: str = ""


def uploads_path(url: str) -> str:
    """The path of *url* under /wp-content/uploads/ ("2024/01/x.jpg"), or ""."""
    path = unquote(urlsplit(html.unescape(url)).path)
    if UPLOADS not in path:
        return ""
    return path.split(UPLOADS, 1)[1].lstrip("/")


def original_upload(path: str) -> str:
    """ "2024/01/x-300x200.jpg" → "2024/01/x.jpg": the file a resized copy was made from."""
    return SIZE_SUFFIX.sub("", path)


def link_card(url: str) -> str:
    """A plain link in place of an embed: no script, no iframe."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.").removeprefix("m.")
    label = EMBED_HOSTS.get(host) or f"Link to {host or url}"
    safe = html.escape(url, quote=True)
    return (
        f'<figure><a href="{safe}">{html.escape(label)}</a><figcaption>{safe}</figcaption></figure>'
    )


def shortcode_attrs(text: str) -> dict[str, str]:
    """shortcode_parse_atts()."""
    attrs: dict[str, str] = {}
    text = re.sub(r"[\u00a0\u200b]", " ", text)
    for m in SHORTCODE_ATTR.finditer(text):
        if m[1]:
            attrs[m[1].lower()] = m[2]
        elif m[3]:
            attrs[m[3].lower()] = m[4]
        elif m[5]:
            attrs[m[5].lower()] = m[6]
        else:
            value = m[7] if m[7] is not None else (m[8] if m[8] is not None else m[9])
            if value is not None:  # positional, numbered from 0 as PHP's $atts[] does
                attrs[str(sum(k.isdigit() for k in attrs))] = value
    return attrs


def _figure(img_html: str, caption: str) -> str:
    caption = caption.strip()
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"<figure>{img_html.strip()}{figcaption}</figure>"


def _img_tag(src: str, alt: str) -> str:
    return f'<img src="{html.escape(src, quote=True)}" alt="{html.escape(alt, quote=True)}">'


def audio_link(url: str, *, paragraph: bool = False) -> str:
    """A plain link to a recording in place of a player (in a paragraph of its own for a
    shortcode, which `wpautop` left out of one)."""
    name = Path(unquote(urlsplit(url).path)).name or url
    link = f'<a href="{html.escape(url, quote=True)}">Audio: {html.escape(name)}</a>'
    return f"<p>{link}</p>" if paragraph else link


def _audio_tags(text: str) -> str:
    def replace(match):
        attrs = {m[1].lower(): m[2] if m[2] is not None else (m[3] or m[4] or "")
                 for m in ATTR.finditer(match[1])}  # fmt: skip
        src = attrs.get("src", "")
        if not src:
            for tag in SOURCE_TAG.findall(match[2]):
                source = {m[1].lower(): m[2] if m[2] is not None else (m[3] or m[4] or "")
                          for m in ATTR.finditer(tag)}  # fmt: skip
                if src := source.get("src", ""):
                    break
        return audio_link(html.unescape(src)) if src else ""

    return AUDIO_TAG.sub(replace, text)


def _shortcodes(text: str, context: BodyContext, unknown: list[str], post_id: int) -> str:
    def replace(match):
        if match[1] == "[" and match[6] == "]":  # [[escaped]]: shown as written
            return match[0][1:-1]
        name = match[2].lower()
        attrs = shortcode_attrs(match[3] or "")
        inner = match[5] or ""
        if name in ("caption", "wp_caption"):
            inner = _shortcodes(inner, context, unknown, post_id)
            images = IMG_TAG.findall(inner)
            img = images[0] if images else ""
            anchor = (
                re.search(r"<a\b[^>]*>\s*" + re.escape(img) + r"\s*</a>", inner) if img else None
            )
            media = anchor[0] if anchor else img
            caption = attrs.get("caption") or inner.replace(media, "", 1)
            return _figure(media, caption)
        if name == "gallery":
            ids = [int(i) for i in re.findall(r"\d+", attrs.get("ids", attrs.get("include", "")))]
            if not ids:
                ids = context.children(int(attrs.get("id") or post_id))
            figures = []
            for attachment in ids:
                url = context.attachment_url(attachment)
                if url:
                    figures.append(_figure(_img_tag(url, context.attachment_alt(attachment)), ""))
            return "\n".join(figures)
        if name == "embed":
            url = (inner or attrs.get("src", "") or attrs.get("url", "")).strip()
            return link_card(html.unescape(url)) if url else ""
        if name == "audio":  # [audio mp3="…"]: WordPress's player, a link to the recording here
            url = next((attrs[k] for k in AUDIO_SHORTCODE_KEYS if attrs.get(k)), "").strip()
            return audio_link(html.unescape(url), paragraph=True) if url else ""
        if name not in unknown:
            unknown.append(name)
        return match[0]

    return SHORTCODE.sub(replace, text)


def _autoembed(text: str) -> str:
    def replace(match):
        url = match[1]
        host = (urlsplit(url).hostname or "").lower().removeprefix("www.").removeprefix("m.")
        return link_card(html.unescape(url)) if host in EMBED_HOSTS else match[0]

    return OWN_LINE_URL.sub(replace, text)


def _images(text: str, context: BodyContext, found: list[str]) -> str:
    def replace(match):
        tag = match[0]
        attrs = {m[1].lower(): m[2] if m[2] is not None else (m[3] or m[4] or "")
                 for m in ATTR.finditer(tag)}  # fmt: skip
        src = html.unescape(attrs.get("src", ""))
        if not uploads_path(src):
            return tag
        found.append(src)
        image = context.image_for(src)
        if image is None:
            return tag
        alt = html.unescape(attrs.get("alt", "")) or image.alt
        extra = f' data-file="{image.pk}"' if image.pk else ""
        return (
            f'<img src="{html.escape(image.src, quote=True)}" '
            f'alt="{html.escape(alt, quote=True)}"{extra}>'
        )

    return IMG_TAG.sub(replace, text)


IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")


def _links(text: str, context: BodyContext, files: list[str]) -> tuple[str, bool]:
    internal = False

    def replace(match):
        nonlocal internal
        url = html.unescape(match[3]).strip()
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if UPLOADS in parts.path:  # a link to an upload: the image's or the file's copy here
            if not parts.path.lower().endswith(IMAGE_SUFFIXES):
                if host and host not in context.old_hosts:
                    return match[0]  # another site's upload: not ours to bring
                address = context.file_for(url)
                if not address:
                    files.append(Path(unquote(parts.path)).name)
                    return match[0]
                if parts.fragment:  # e.g. #page=3 of a PDF
                    address += "#" + parts.fragment
                return f"{match[1]}{match[2]}{html.escape(address, quote=True)}{match[2]}"
            image = context.image_for(url)
            if image is None or not image.href:
                return match[0]
            return f"{match[1]}{match[2]}{html.escape(image.href, quote=True)}{match[2]}"
        if not host or host not in context.old_hosts:
            return match[0]
        internal = True
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        if parts.fragment:
            path += "#" + parts.fragment
        return f"{match[1]}{match[2]}{html.escape(path, quote=True)}{match[2]}"

    return HREF.sub(replace, text), internal


PROVENANCE = re.compile(
    r"(?:<p>\s*)?(?:<(?:em|i|strong|b)>\s*)?(?P<line>(?:Translated|Reprinted|First published)"
    r"\s+(?:from|by|in)\s+(?P<source>[^<\n]{2,120}?)|Source:\s*(?P<source2>[^<\n]{2,120}?))"
    r"\.?\s*(?:</(?:em|i|strong|b)>\s*)?(?:</p>)?\s*$",
    re.I,
)
PROVENANCE_TAIL = 400  # characters: the line, its tags and paragraph, with room to spare


def clean_body(raw: str, context: BodyContext, *, post_id: int = 0) -> CleanBody:
    """*raw* (a post's content:encoded) as Digest's body, before sanitising."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    is_blocks = "<!-- wp:" in text
    if is_blocks:

        def embed(match):
            url = EMBED_URL.search(match[1])
            return link_card(url[1].replace("\\/", "/")) + "\n" if url else match[2]

        text = EMBED_BLOCK.sub(embed, text)
        text = BLOCK_COMMENT.sub("", text)
    text = _autoembed(text)
    if not is_blocks:
        text = wpautop(text)
    unknown: list[str] = []
    # shortcode_unautop(): a shortcode alone in a paragraph is not wrapped in one.
    text = SHORTCODE_PARAGRAPH.sub(r"\1", text)
    text = _shortcodes(text, context, unknown, post_id)
    text = _audio_tags(text)
    found: list[str] = []
    text = _images(text, context, found)
    files: list[str] = []
    text, internal = _links(text, context, files)
    text = text.strip()
    provenance = ""
    # The closing line only: searched from every position of a long body, the pattern's
    # backtracking cost a millisecond a post (a fifth of the importer's own time).
    if match := PROVENANCE.search(text, max(0, len(text) - PROVENANCE_TAIL)):
        provenance = match["line"].strip()
        text = text[: match.start()].rstrip()
    return CleanBody(
        html=text,
        unknown_shortcodes=unknown,
        internal_links=internal,
        images=found,
        files=files,
        provenance_line=provenance,
    )


def links_rewrite(body: str, resolve: Callable[[str], str | None]) -> str:
    """*body* with each relative link that *resolve* knows pointed at its new address."""

    def replace(match):
        url = html.unescape(match[3])
        if not url.startswith("/") or url.startswith("//"):
            return match[0]
        path, _, fragment = url.partition("#")
        target = resolve(unquote(path))
        if not target:
            return match[0]
        if fragment:
            target += "#" + fragment
        return f"{match[1]}{match[2]}{html.escape(target, quote=True)}{match[2]}"

    return HREF.sub(replace, body)
