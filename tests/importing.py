"""Helpers for the importer tests: run the command, build sample files."""

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from django.core.management import call_command
from django.core.management.base import CommandError

DATA = Path(__file__).parent / "data"
SEEDS = Path(__file__).parent.parent / "fixtures" / "sources"


def run_import(*args):
    """``import_articles *args`` → (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_articles", *[str(a) for a in args], stdout=out, stderr=err)
        status = 0
    except CommandError as error:
        err.write(str(error))
        status = 1
    return status, out.getvalue(), err.getvalue()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _run(text, bold=False, italic=False):
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    props = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def docx_bytes(paragraphs, *, core_title="", links=()):
    """A real .docx (an OOXML zip) written by hand. *paragraphs*: (style or "", [runs]) where
    a run is text, ("b", text), ("i", text) or ("link", rId, text); style "list" is a bullet."""
    body = []
    for style, runs in paragraphs:
        ppr = ""
        if style == "list":
            ppr = '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
        elif style:
            ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        xml = []
        for run in runs:
            if isinstance(run, str):
                xml.append(_run(run))
            elif run[0] == "link":
                xml.append(f'<w:hyperlink r:id="{run[1]}">{_run(run[2])}</w:hyperlink>')
            else:
                xml.append(_run(run[1], bold=run[0] == "b", italic=run[0] == "i"))
        body.append(f"<w:p>{ppr}{''.join(xml)}</w:p>")
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W} {R}>'
        f"<w:body>{''.join(body)}</w:body></w:document>"
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:styles {W}>'
        + "".join(
            f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="{name}"/></w:style>'
            for sid, name in [
                ("Heading1", "heading 1"),
                ("Heading2", "heading 2"),
                ("Quote", "Quote"),
            ]
        )
        + "</w:styles>"
    )
    numbering = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:numbering {W}>'
        '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/>'
        '</w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        "</w:numbering>"
    )
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    doc_rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rStyles" Type="{rel}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rNumbering" Type="{rel}/numbering" Target="numbering.xml"/>'
        + "".join(
            f'<Relationship Id="{rid}" Type="{rel}/hyperlink" Target="{escape(url)}" '
            'TargetMode="External"/>'
            for rid, url in links
        )
        + "</Relationships>"
    )
    ct = "application/vnd.openxmlformats-officedocument"
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{ct}.wordprocessingml.'
        'document.main+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
        'package.core-properties+xml"/></Types>'
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        "</Relationships>"
    )
    core = (
        '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.'
        'openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{escape(core_title)}</dc:title><dc:creator>Word User</dc:creator>"
        "</cp:coreProperties>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", root_rels)
        archive.writestr("word/document.xml", document)
        archive.writestr("word/styles.xml", styles)
        archive.writestr("word/numbering.xml", numbering)
        archive.writestr("word/_rels/document.xml.rels", doc_rels)
        archive.writestr("docProps/core.xml", core)
    return buffer.getvalue()


WORDPRESS = DATA / "wordpress"
EDGE = WORDPRESS / "edge"


def run_wordpress(*args):
    """``import_wordpress *args`` → (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_wordpress", *[str(a) for a in args], stdout=out, stderr=err)
        status = 0
    except CommandError as error:
        err.write(str(error))
        status = 1
    return status, out.getvalue(), err.getvalue()


def summary_row(out, kind):
    """The numbers of *kind*'s row in the summary table: [created, updated, unchanged,
    skipped, failed]."""
    for line in out.splitlines():
        cells = [c.strip() for c in line.strip("│ ").split("│")]
        if cells and cells[0] == kind:
            return [int(c) for c in cells[1:]]
    raise AssertionError(f"no row {kind!r} in:\n{out}")
