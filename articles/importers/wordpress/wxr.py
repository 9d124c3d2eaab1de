"""Reading WordPress eXtended RSS (WXR 1.0–1.2) as a stream.

`check_wxr` reads a file once with expat, building nothing, and either says in one sentence
why it is not a WordPress export (a zip, an HTML page, an RSS feed without the wp: namespace,
some other XML, broken XML) or returns what the import needs before it starts: the number of
items and a small index of every item (id → type, link, slug, parent, attachment URL), so an
item can refer to one later in the file (a featured image, a gallery, a link to another post).

`iter_wxr` then reads it again with `xml.etree.ElementTree.iterparse`, yielding the channel's
authors, categories, tags and terms, and each `<item>` as a `WxrItem`, removing every element
from the tree once it is read: memory stays flat however long the file is.

Bytes that XML 1.0 forbids (control characters WordPress exports now and then inside CDATA)
are dropped as the file is read, and counted.
"""

import re
import xml.etree.ElementTree as ET  # nosec B405 - expat: no external entities, no network
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat  # nosec B407 - see above

WP_PREFIX = "http://wordpress.org/export/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
CHUNK = 1 << 20
# Control characters XML 1.0 forbids; in UTF-8 these bytes are never part of another character.
FORBIDDEN = bytes([*range(0, 9), 11, 12, *range(14, 32)])


class NotWxrError(ValueError):
    """The file is not a WordPress export; the message is one sentence for the operator."""


@dataclass
class IndexEntry:
    """What other items may need of one item before it is read in full."""

    post_type: str
    link: str = ""
    slug: str = ""
    parent: int = 0
    url: str = ""  # an attachment's file
    title: str = ""
    # an attachment's alt text, caption and credit, and its file under uploads/
    alt: str = ""
    caption: str = ""
    credit: str = ""
    attached_file: str = ""


@dataclass
class WxrCheck:
    path: Path
    version: str
    items: int
    index: dict[int, IndexEntry]
    site_url: str
    dropped_bytes: int = 0


@dataclass
class WxrItem:
    post_id: int
    post_type: str
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    post_modified: str = ""
    post_modified_gmt: str = ""
    post_name: str = ""
    status: str = ""
    parent: int = 0
    menu_order: int = 0
    password: str = ""
    is_sticky: bool = False
    attachment_url: str = ""
    # (domain, nicename, name) of each <category> element
    terms: list[tuple[str, str, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: int = 0
    line: int = 0


@dataclass
class WxrTerm:
    """A channel-level author, category, tag or other term."""

    kind: str  # author, category, tag, term
    fields: dict[str, str]


def _local(tag):
    """("wp", "post_id") for "{http://wordpress.org/export/1.2/}post_id"."""
    if tag[:1] != "{":
        return "", tag
    uri, name = tag[1:].split("}", 1)
    if uri.startswith(WP_PREFIX):
        return ("excerpt" if uri.rstrip("/").endswith("excerpt") else "wp"), name
    if uri == CONTENT_NS:
        return "content", name
    if uri == DC_NS:
        return "dc", name
    return uri, name


class _CleanStream:
    """A binary file with the bytes XML forbids removed (and counted)."""

    def __init__(self, handle):
        self.handle = handle
        self.dropped = 0

    def read(self, size=-1):
        data = self.handle.read(size if size and size > 0 else CHUNK)
        cleaned = data.translate(None, FORBIDDEN)
        self.dropped += len(data) - len(cleaned)
        return cleaned


def _sniff(path: Path, head: bytes) -> None:
    name = path.name
    if head.startswith(b"PK\x03\x04"):
        raise NotWxrError(
            f"{name} is a zip archive, not a WordPress export: unzip it and give the .xml file"
        )
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not text:
        raise NotWxrError(f"{name} is empty, not a WordPress export")
    if text.startswith((b"<!doctype html", b"<html")):
        raise NotWxrError(
            f"{name} is an HTML page, not a WordPress export: in WordPress use Tools → Export "
            "→ All content and give the .xml file it downloads"
        )
    if not text.startswith(b"<"):
        raise NotWxrError(f"{name} is not XML, so not a WordPress export (WXR)")


def check_wxr(path: Path) -> WxrCheck:
    """Read *path* once (no tree): a `WxrCheck`, or `NotWxrError` saying why it is not one."""
    path = Path(path)
    try:
        handle = path.open("rb")
    except FileNotFoundError as error:
        raise NotWxrError(f"{path} does not exist") from error
    except OSError as error:
        raise NotWxrError(f"{path} cannot be read: {error.strerror}") from error
    with handle:
        head = handle.read(4096)
        _sniff(path, head)
        handle.seek(0)
        return _check_stream(path, _CleanStream(handle))


def _check_stream(path, stream):
    parser = expat.ParserCreate(namespace_separator="}")
    state = {
        "depth": 0, "root": None, "wp": "", "items": 0, "version": "", "text": [],
        "site": "", "entry": None, "channel_depth": 0,
    }  # fmt: skip
    index: dict[int, IndexEntry] = {}
    wanted_item = {"post_id", "post_type", "post_name", "post_parent", "attachment_url"}

    def start(tag, attrs):
        state["depth"] += 1
        depth = state["depth"]
        if depth == 1:
            state["root"] = tag
            return
        ns, name = tag.split("}", 1) if "}" in tag else ("", tag)
        if depth == 3 and name == "item" and not ns:
            state["items"] += 1
            state["entry"] = {}
        state["text"] = []

    def end(tag):
        depth = state["depth"]
        state["depth"] -= 1
        ns, name = tag.split("}", 1) if "}" in tag else ("", tag)
        text = "".join(state["text"]).strip()
        state["text"] = []
        entry = state["entry"]
        if depth == 3 and name == "item" and not ns and entry is not None:
            try:
                post_id = int(entry.get("post_id") or 0)
            except ValueError:
                post_id = 0
            if post_id:
                try:
                    parent = int(entry.get("post_parent") or 0)
                except ValueError:
                    parent = 0
                post_type = entry.get("post_type", "")
                attachment = post_type == "attachment"
                index[post_id] = IndexEntry(
                    post_type=post_type,
                    link=entry.get("link", ""),
                    slug=entry.get("post_name", ""),
                    parent=parent,
                    url=entry.get("attachment_url", ""),
                    title=entry.get("title", "")[:200],
                    alt=entry.get("_wp_attachment_image_alt", "")[:300] if attachment else "",
                    caption=entry.get("excerpt", "")[:500] if attachment else "",
                    credit=_credit(entry.get("_wp_attachment_metadata", "")) if attachment else "",
                    attached_file=entry.get("_wp_attached_file", "") if attachment else "",
                )
            state["entry"] = None
        elif depth == 4 and entry is not None:
            if ns.startswith(WP_PREFIX) and name in wanted_item:
                entry[name] = text
            elif ns.startswith(WP_PREFIX) and name == "encoded":  # the excerpt
                entry["excerpt"] = text
            elif not ns and name in ("link", "title"):
                entry[name] = text
        elif depth == 5 and entry is not None and ns.startswith(WP_PREFIX):
            if name == "meta_key":
                entry["_key"] = text
            elif name == "meta_value" and entry.get("_key") in ATTACHMENT_META:
                entry[entry["_key"]] = text
        elif depth == 3 and ns.startswith(WP_PREFIX):
            if name == "wxr_version":
                state["version"] = text
            elif name == "base_site_url" or (name == "base_blog_url" and not state["site"]):
                state["site"] = text
        elif depth == 3 and name == "link" and not ns and not state["site"]:
            state["site"] = text

    def chars(data):
        state["text"].append(data)

    def start_ns(prefix, uri):
        if uri.startswith(WP_PREFIX) and not uri.rstrip("/").endswith("excerpt"):
            state["wp"] = uri

    def doctype(name, *args):
        # WordPress never writes one; a DTD is how entity expansion attacks come in.
        raise NotWxrError(
            f"{path.name} has a <!DOCTYPE> declaration, which a WordPress export never has: "
            "refused, nothing was imported"
        )

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartNamespaceDeclHandler = start_ns
    try:
        while True:
            data = stream.read(CHUNK)
            parser.Parse(data, not data)
            if not data:
                break
    except expat.ExpatError as error:
        if state["root"] is None:
            raise NotWxrError(f"{path.name} is not XML, so not a WordPress export (WXR)") from None
        reason = expat.errors.messages.get(error.code, str(error))
        raise NotWxrError(
            f"{path.name} is not well-formed XML (line {error.lineno}, column "
            f"{error.offset + 1}: {reason}), so nothing was imported: export it again, or "
            "fix that line"
        ) from None
    root = state["root"] or ""
    if root != "rss":
        shown = root.split("}", 1)[-1]
        raise NotWxrError(
            f"{path.name} is XML (<{shown}>) but not a WordPress export (WXR is an <rss> file "
            "with the wp: namespace)"
        )
    if not state["wp"]:
        raise NotWxrError(
            f"{path.name} is an RSS feed, not a WordPress export: it has no wp: namespace "
            "(use Tools → Export in WordPress, not the site's /feed/)"
        )
    version = state["version"] or state["wp"].rstrip("/").rsplit("/", 1)[-1]
    return WxrCheck(
        path=path,
        version=version,
        items=state["items"],
        index=index,
        site_url=state["site"].rstrip("/"),
        dropped_bytes=stream.dropped,
    )


ATTACHMENT_META = {"_wp_attachment_image_alt", "_wp_attachment_metadata", "_wp_attached_file"}
CREDIT_RE = re.compile(r's:6:"credit";s:\d+:"([^"]*)"')


def _credit(metadata):
    """The credit in an attachment's serialised image metadata (PHP's serialize())."""
    match = CREDIT_RE.search(metadata)
    return match[1][:200] if match else ""


def _text(element):
    return (element.text or "").strip() if element is not None else ""


def _int(value):
    try:
        return int(value or 0)
    except ValueError:
        return 0


ITEM_FIELDS = {
    ("wp", "post_id"), ("wp", "post_type"), ("wp", "post_date"), ("wp", "post_date_gmt"),
    ("wp", "post_modified"), ("wp", "post_modified_gmt"), ("wp", "post_name"),
    ("wp", "status"), ("wp", "post_parent"), ("wp", "menu_order"), ("wp", "post_password"),
    ("wp", "is_sticky"), ("wp", "attachment_url"),
}  # fmt: skip


def _item(element, line) -> WxrItem:
    values: dict[str, str] = {}
    item = WxrItem(post_id=0, post_type="", line=line)
    for child in element:
        ns, name = _local(child.tag)
        if not ns:
            if name == "title":
                item.title = child.text or ""
            elif name == "link":
                item.link = _text(child)
            elif name == "guid":
                item.guid = _text(child)
            elif name == "category" and child.get("domain"):
                # WXR 1.0 repeats each term as a plain RSS <category> without a domain.
                item.terms.append((child.get("domain"), child.get("nicename", ""), _text(child)))
        elif ns == "dc" and name == "creator":
            item.creator = _text(child)
        elif ns == "content" and name == "encoded":
            item.content = child.text or ""
        elif ns == "excerpt" and name == "encoded":
            item.excerpt = child.text or ""
        elif ns == "wp" and name == "postmeta":
            key = value = ""
            for part in child:
                part_name = _local(part.tag)[1]
                if part_name == "meta_key":
                    key = _text(part)
                elif part_name == "meta_value":
                    value = part.text or ""
            if key:
                item.meta[key] = value
        elif ns == "wp" and name == "comment":
            item.comments += 1
        elif (ns, name) in ITEM_FIELDS:
            values[name] = child.text or ""
    item.post_id = _int(values.get("post_id"))
    item.post_type = values.get("post_type", "").strip()
    item.post_date = values.get("post_date", "").strip()
    item.post_date_gmt = values.get("post_date_gmt", "").strip()
    item.post_modified = values.get("post_modified", "").strip()
    item.post_modified_gmt = values.get("post_modified_gmt", "").strip()
    item.post_name = values.get("post_name", "").strip()
    item.status = values.get("status", "").strip()
    item.parent = _int(values.get("post_parent"))
    item.menu_order = _int(values.get("menu_order"))
    item.password = values.get("post_password", "")
    item.is_sticky = values.get("is_sticky", "").strip() == "1"
    item.attachment_url = values.get("attachment_url", "").strip()
    return item


CHANNEL_TERMS = {"author": "author", "category": "category", "tag": "tag", "term": "term"}


def iter_wxr(path: Path) -> Iterator[WxrTerm | WxrItem]:
    """The channel's terms and then its items, in file order, each element dropped once read.

    The file must have passed `check_wxr`."""
    with Path(path).open("rb") as handle:
        stream = _CleanStream(handle)
        parents: list[ET.Element] = []
        items = 0
        # check_wxr refused any DOCTYPE (and so any entity) before this parse.
        for event, element in ET.iterparse(stream, events=("start", "end")):  # noqa: S314 # nosec B314
            if event == "start":
                parents.append(element)
                continue
            parents.pop()
            depth = len(parents)
            if depth != 2:
                continue
            ns, name = _local(element.tag)
            if not ns and name == "item":
                items += 1
                yield _item(element, items)
            elif ns == "wp" and name in CHANNEL_TERMS:
                yield WxrTerm(
                    kind=CHANNEL_TERMS[name],
                    fields={_local(child.tag)[1]: _text(child) for child in element},
                )
            else:
                continue
            parents[-1].remove(element)


def channel_info(path: Path) -> dict[str, str]:
    """The channel's title, link, base site and blog URLs (read from the file's start)."""
    info: dict[str, str] = {}
    with Path(path).open("rb") as handle:
        depth = 0
        # Only of files check_wxr accepted: no DOCTYPE, so no entity.
        events = ET.iterparse(_CleanStream(handle), events=("start", "end"))  # noqa: S314 # nosec B314
        for event, element in events:
            if event == "start":
                depth += 1
                if depth == 3 and _local(element.tag) == ("", "item"):
                    break
                continue
            depth -= 1
            if depth == 2:
                ns, name = _local(element.tag)
                if name in ("title", "link", "description", "language", "base_site_url",
                            "base_blog_url", "wxr_version"):  # fmt: skip
                    info[name] = _text(element)
    return info


SITE_RE = re.compile(r"^(https?://[^/]+)(/.*)?$", re.I)
