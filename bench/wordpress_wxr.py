"""Generated WordPress exports for bench/wordpress_bench.py: a WXR 1.2 file shaped like the
one WordPress's own export_wp() writes (tests/data/wordpress/real/site.xml is a real one),
written item by item so a 50,000-post file never sits in memory, and the local uploads folder
of small JPEGs its attachments point at.

Posts are published, ~900 words each (half classic-editor bodies with double line breaks and
no <p>, half block-editor bodies with <!-- wp:paragraph --> comments), in one of a few
categories (one with a parent), with 5 tags from a pool of a few thousand. With images, every
post gets one attachment (written before the posts, as WordPress orders its export: by post
type) and a ``_thumbnail_id`` pointing at it.
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

WORDS = (
    "Baku Ankara Caspian pipeline energy corridor summit minister harbour grain freight "
    "climate wind solar parliament election museum festival carpet Shusha Ganja railway "
    "treaty border talks market inflation bank budget exports imports tourism mountain river "
    "university students doctors hospital vaccine football orchestra theatre novel poet the "
    "a of and in to on for with by from was were said will would has had is are its their "
    "government ministry officials reported according week year month city region country"
).split()
SYLLABLES = "ba ku ra an ka gan ja shu sha qa ra bag su mi nar gol lan der vin tor es ul".split()
AUTHORS = [
    ("aysel", "Aysel Məmmədova"),
    ("ramin.h", "Ramin Hüseynov"),
    ("leyla", "Leyla Quliyeva"),
    ("kamran", "Kamran Həsənov"),
    ("desk", "Digest Desk"),
]
# (slug, name, parent slug)
CATEGORIES = [
    ("politics", "Politics", ""),
    ("caucasus", "Caucasus", "politics"),
    ("economy", "Economy", ""),
    ("energy", "Energy", "economy"),
    ("culture", "Culture", ""),
    ("sport", "Sport", ""),
    ("uncategorized", "Uncategorized", ""),
]
AZ_LETTERS = str.maketrans("aeiougs", "əeıöğşş")


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def made_up_word(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


@dataclass
class Site:
    """What one generated export is about. *label* keeps titles and slugs of different runs
    apart (one Digest database gets several generated sites)."""

    url: str
    label: str
    posts: int
    words: int = 900
    tags_per_post: int = 5
    images: bool = False
    seed: int = 17
    tag_pool: int = field(default=3000)

    def post_id(self, n):
        return 2 * n + 10  # WordPress's IDs are sparse: revisions, attachments, menu items

    def attachment_id(self, n):
        return 2 * n + 11

    def date(self, n):
        """Local (Asia/Baku, UTC+4) publication date of post *n*: about 15 posts a day,
        oldest first, ending in 2024."""
        start = datetime(2024, 12, 31, 18, 0, tzinfo=UTC) - timedelta(minutes=96 * self.posts)
        return start + timedelta(minutes=96 * n)

    def slug(self, n):
        return f"{self.label}-story-{n}"

    def permalink_path(self, n):
        d = self.date(n) + timedelta(hours=4)
        return f"/{d:%Y/%m/%d}/{self.slug(n)}/"

    def upload_path(self, n):
        d = self.date(n) + timedelta(hours=4)
        return f"{d:%Y/%m}/{self.label}-photo-{n}.jpg"


def _tags(rng, site):
    tags = []
    seen = set()
    while len(tags) < site.tag_pool:
        name = made_up_word(rng).capitalize()
        if rng.random() < 0.3:  # Azerbaijani letters, as WordPress percent-encodes some of them
            name = name.translate(AZ_LETTERS)
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        slug = name.lower().encode("ascii", "ignore").decode() or "tag"
        tags.append((f"{slug}-{len(tags)}", name))
    return tags


def _body(rng, words, block):
    paragraphs = []
    left = words
    while left > 0:
        size = min(left, rng.randint(60, 140))
        left -= size
        chosen = rng.choices(WORDS, k=size)
        for i in range(rng.randrange(8), size, 8):  # a larger vocabulary, as real text has
            chosen[i] = made_up_word(rng)
        text = " ".join(chosen).capitalize() + "."
        paragraphs.append(text)
    if block:
        return "\n\n".join(
            f"<!-- wp:paragraph -->\n<p>{text}</p>\n<!-- /wp:paragraph -->" for text in paragraphs
        )
    return "\n\n".join(paragraphs)


def _wp_date(moment):
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def write_wxr(path, site):
    """Write *site*'s export to *path*; returns the number of bytes written."""
    rng = random.Random(site.seed)  # nosec B311: benchmark data, reproducible
    tags = _tags(rng, site)
    url = site.url.rstrip("/")
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n'
            "<!-- This is a WordPress eXtended RSS file generated by Digest's"
            " bench/wordpress_wxr.py. -->\n"
            '<!-- generator="WordPress/6.1.9" created="2025-01-01 00:00" -->\n'
            '<rss version="2.0"\n'
            '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
            '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
            '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
            '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
            '\txmlns:wp="http://wordpress.org/export/1.2/"\n>\n\n<channel>\n'
            f"\t<title>Generated site {site.label}</title>\n"
            f"\t<link>{url}</link>\n"
            "\t<description>Generated for the import benchmark</description>\n"
            "\t<pubDate>Wed, 01 Jan 2025 00:00:00 +0000</pubDate>\n"
            "\t<language>en-US</language>\n"
            "\t<wp:wxr_version>1.2</wp:wxr_version>\n"
            f"\t<wp:base_site_url>{url}</wp:base_site_url>\n"
            f"\t<wp:base_blog_url>{url}</wp:base_blog_url>\n\n"
        )
        for number, (login, name) in enumerate(AUTHORS, 1):
            first, _, last = name.partition(" ")
            out.write(
                f"\t<wp:author><wp:author_id>{number}</wp:author_id>"
                f"<wp:author_login>{cdata(login)}</wp:author_login>"
                f"<wp:author_email>{cdata(login + '@example.org')}</wp:author_email>"
                f"<wp:author_display_name>{cdata(name)}</wp:author_display_name>"
                f"<wp:author_first_name>{cdata(first)}</wp:author_first_name>"
                f"<wp:author_last_name>{cdata(last)}</wp:author_last_name></wp:author>\n"
            )
        for number, (slug, name, parent) in enumerate(CATEGORIES, 1):
            out.write(
                f"\t<wp:category><wp:term_id>{number}</wp:term_id>"
                f"<wp:category_nicename>{cdata(slug)}</wp:category_nicename>"
                f"<wp:category_parent>{cdata(parent)}</wp:category_parent>"
                f"<wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>\n"
            )
        for number, (slug, name) in enumerate(tags, 100):
            out.write(
                f"\t<wp:tag><wp:term_id>{number}</wp:term_id>"
                f"<wp:tag_slug>{cdata(slug)}</wp:tag_slug>"
                f"<wp:tag_name>{cdata(name)}</wp:tag_name></wp:tag>\n"
            )
        out.write("\n")
        if site.images:
            for n in range(site.posts):
                _write_attachment(out, site, url, n)
        for n in range(site.posts):
            _write_post(out, site, url, n, rng, tags)
        out.write("</channel>\n</rss>\n")
        return out.tell()


def _write_attachment(out, site, url, n):
    gmt = site.date(n) - timedelta(minutes=5)
    local = gmt + timedelta(hours=4)
    file_url = f"{url}/wp-content/uploads/{site.upload_path(n)}"
    login = AUTHORS[n % len(AUTHORS)][0]
    out.write(
        "\t<item>\n"
        f"\t\t<title>{cdata(f'{site.label}-photo-{n}')}</title>\n"
        f"\t\t<link>{url}{site.permalink_path(n)}{site.label}-photo-{n}/</link>\n"
        f"\t\t<pubDate>{gmt:%a, %d %b %Y %H:%M:%S} +0000</pubDate>\n"
        f"\t\t<dc:creator>{cdata(login)}</dc:creator>\n"
        f'\t\t<guid isPermaLink="false">{file_url}</guid>\n'
        "\t\t<description></description>\n"
        f"\t\t<content:encoded>{cdata('')}</content:encoded>\n"
        f"\t\t<excerpt:encoded>{cdata(f'Photo {n} of the generated site')}</excerpt:encoded>\n"
        f"\t\t<wp:post_id>{site.attachment_id(n)}</wp:post_id>\n"
        f"\t\t<wp:post_date>{cdata(_wp_date(local))}</wp:post_date>\n"
        f"\t\t<wp:post_date_gmt>{cdata(_wp_date(gmt))}</wp:post_date_gmt>\n"
        f"\t\t<wp:post_modified>{cdata(_wp_date(local))}</wp:post_modified>\n"
        f"\t\t<wp:post_modified_gmt>{cdata(_wp_date(gmt))}</wp:post_modified_gmt>\n"
        f"\t\t<wp:comment_status>{cdata('open')}</wp:comment_status>\n"
        f"\t\t<wp:ping_status>{cdata('closed')}</wp:ping_status>\n"
        f"\t\t<wp:post_name>{cdata(f'{site.label}-photo-{n}')}</wp:post_name>\n"
        f"\t\t<wp:status>{cdata('inherit')}</wp:status>\n"
        f"\t\t<wp:post_parent>{site.post_id(n)}</wp:post_parent>\n"
        "\t\t<wp:menu_order>0</wp:menu_order>\n"
        f"\t\t<wp:post_type>{cdata('attachment')}</wp:post_type>\n"
        f"\t\t<wp:post_password>{cdata('')}</wp:post_password>\n"
        "\t\t<wp:is_sticky>0</wp:is_sticky>\n"
        f"\t\t<wp:attachment_url>{cdata(file_url)}</wp:attachment_url>\n"
        "\t\t<wp:postmeta>\n"
        f"\t\t<wp:meta_key>{cdata('_wp_attached_file')}</wp:meta_key>\n"
        f"\t\t<wp:meta_value>{cdata(site.upload_path(n))}</wp:meta_value>\n"
        "\t\t</wp:postmeta>\n"
        "\t\t<wp:postmeta>\n"
        f"\t\t<wp:meta_key>{cdata('_wp_attachment_image_alt')}</wp:meta_key>\n"
        f"\t\t<wp:meta_value>{cdata(f'Generated photo number {n}')}</wp:meta_value>\n"
        "\t\t</wp:postmeta>\n"
        "\t</item>\n"
    )


def _write_post(out, site, url, n, rng, tags):
    gmt = site.date(n)
    local = gmt + timedelta(hours=4)
    login = AUTHORS[n % len(AUTHORS)][0]
    slug, name, _ = CATEGORIES[n % (len(CATEGORIES) - 1)]
    title = " ".join(made_up_word(rng) for _ in range(rng.randint(5, 9))).capitalize()
    title = f"{title} ({site.label} #{n})"
    body = _body(rng, site.words, block=n % 2 == 0)
    terms = [f'\t\t<category domain="category" nicename="{slug}">{cdata(name)}</category>\n']
    for tag_slug, tag_name in rng.sample(tags, site.tags_per_post):
        terms.append(
            f'\t\t<category domain="post_tag" nicename="{tag_slug}">{cdata(tag_name)}</category>\n'
        )
    meta = [("_edit_last", "1")]
    if site.images:
        meta.append(("_thumbnail_id", str(site.attachment_id(n))))
    out.write(
        "\t<item>\n"
        f"\t\t<title>{cdata(title)}</title>\n"
        f"\t\t<link>{url}{site.permalink_path(n)}</link>\n"
        f"\t\t<pubDate>{gmt:%a, %d %b %Y %H:%M:%S} +0000</pubDate>\n"
        f"\t\t<dc:creator>{cdata(login)}</dc:creator>\n"
        f'\t\t<guid isPermaLink="false">{url}/?p={site.post_id(n)}</guid>\n'
        "\t\t<description></description>\n"
        f"\t\t<content:encoded>{cdata(body)}</content:encoded>\n"
        f"\t\t<excerpt:encoded>{cdata('')}</excerpt:encoded>\n"
        f"\t\t<wp:post_id>{site.post_id(n)}</wp:post_id>\n"
        f"\t\t<wp:post_date>{cdata(_wp_date(local))}</wp:post_date>\n"
        f"\t\t<wp:post_date_gmt>{cdata(_wp_date(gmt))}</wp:post_date_gmt>\n"
        f"\t\t<wp:post_modified>{cdata(_wp_date(local))}</wp:post_modified>\n"
        f"\t\t<wp:post_modified_gmt>{cdata(_wp_date(gmt))}</wp:post_modified_gmt>\n"
        f"\t\t<wp:comment_status>{cdata('open')}</wp:comment_status>\n"
        f"\t\t<wp:ping_status>{cdata('open')}</wp:ping_status>\n"
        f"\t\t<wp:post_name>{cdata(site.slug(n))}</wp:post_name>\n"
        f"\t\t<wp:status>{cdata('publish')}</wp:status>\n"
        "\t\t<wp:post_parent>0</wp:post_parent>\n"
        "\t\t<wp:menu_order>0</wp:menu_order>\n"
        f"\t\t<wp:post_type>{cdata('post')}</wp:post_type>\n"
        f"\t\t<wp:post_password>{cdata('')}</wp:post_password>\n"
        "\t\t<wp:is_sticky>0</wp:is_sticky>\n"
        + "".join(terms)
        + "".join(
            "\t\t<wp:postmeta>\n"
            f"\t\t<wp:meta_key>{cdata(key)}</wp:meta_key>\n"
            f"\t\t<wp:meta_value>{cdata(value)}</wp:meta_value>\n"
            "\t\t</wp:postmeta>\n"
            for key, value in meta
        )
        + "\t</item>\n"
    )


def write_uploads(folder, site, size=(800, 533)):
    """The JPEG behind every attachment of *site* under *folder* (wp-content/uploads).

    A dozen pictures are drawn once; each file is one of them with a JPEG comment naming the
    file, so every file has different bytes (an importer that recognises a file it already
    has cannot skip the work) while writing 10,000 of them takes seconds.
    """
    import io

    from PIL import Image, ImageDraw

    rng = random.Random(site.seed + 1)  # nosec B311: benchmark data, reproducible
    pictures = []
    width, height = size
    for _ in range(12):
        image = Image.new("RGB", size, tuple(rng.randint(0, 255) for _ in range(3)))
        draw = ImageDraw.Draw(image)
        for _ in range(40):
            x, y = rng.randint(0, width), rng.randint(0, height)
            r = rng.randint(10, width // 4)
            colour = tuple(rng.randint(0, 255) for _ in range(3))
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=82)
        pictures.append(buffer.getvalue())
    total = 0
    folder = Path(folder)
    for n in range(site.posts):
        target = folder / site.upload_path(n)
        target.parent.mkdir(parents=True, exist_ok=True)
        comment = f"{site.label} photo {n}".encode()
        segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
        picture = pictures[n % len(pictures)]
        data = picture[:2] + segment + picture[2:]  # after SOI
        target.write_bytes(data)
        total += len(data)
    return total
