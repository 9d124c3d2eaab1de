"""The operator's WordPress bodies look in Digest as they looked in WordPress: wpautop,
shortcodes, embeds, block comments and resized images (issue 17). Expected outputs are
WordPress's own for the same input (wp-includes/formatting.php)."""

import pytest

from articles.importers.wordpress.autop import wpautop
from articles.importers.wordpress.body import (
    BodyContext,
    BodyImage,
    clean_body,
    links_rewrite,
    original_upload,
    shortcode_attrs,
    uploads_path,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\nb", "<p>a<br />\nb</p>\n"),
        ("a\n\nb", "<p>a</p>\n<p>b</p>\n"),
        ("a\n\n\n\nb", "<p>a</p>\n<p>b</p>\n"),
        ("<pre>x\n\ny</pre>\n\nafter", "<pre>x\n\ny</pre>\n<p>after</p>\n"),
        ("<blockquote>quote</blockquote>", "<blockquote><p>quote</p></blockquote>\n"),
        ("<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n\ntext",
         "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<p>text</p>\n"),
        ("Line one<br><br>Line two", "<p>Line one</p>\n<p>Line two</p>\n"),
        ("<div>hi</div>", "<div>hi</div>\n"),
        ('<img src="a.jpg" alt="x\nz">\n\nnext',
         '<p><img src="a.jpg" alt="x\nz"></p>\n<p>next</p>\n'),
        ("   \n\n ", ""),
    ],
)  # fmt: skip
def test_wpautop_makes_paragraphs_as_wordpress_does(text, expected):
    assert wpautop(text) == expected


def test_resized_copies_map_back_to_the_original_upload():
    url = "https://old.example.com/wp-content/uploads/2024/01/baku-skyline-300x188.jpg"
    assert uploads_path(url) == "2024/01/baku-skyline-300x188.jpg"
    assert original_upload(uploads_path(url)) == "2024/01/baku-skyline.jpg"
    assert original_upload("2024/01/photo-scaled.jpeg") == "2024/01/photo.jpeg"
    assert original_upload("2024/01/1920x1080.png") == "2024/01/1920x1080.png"
    assert uploads_path("https://old.example.com/2024/01/x.jpg") == ""


def test_shortcode_attributes_are_read_like_wordpress():
    assert shortcode_attrs(' id="attachment_5" align=\'left\' width=300 flag') == {
        "id": "attachment_5", "align": "left", "width": "300", "0": "flag",
    }  # fmt: skip


def _context(**overrides):
    images = {"2024/01/a.jpg": BodyImage(src="/media/images/a-800w.webp", alt="Alt A", pk=7)}

    def image_for(url):
        return images.get(original_upload(uploads_path(url)))

    defaults = {
        "old_hosts": {"old.example.com"},
        "attachment_url": lambda pk: (
            "https://old.example.com/wp-content/uploads/2024/01/a.jpg" if pk == 5 else ""
        ),
        "attachment_alt": lambda pk: "Alt A" if pk == 5 else "",
        "children": lambda parent: [5],
        "image_for": image_for,
    }
    defaults.update(overrides)
    return BodyContext(**defaults)


def test_caption_becomes_a_figure_with_the_projects_image():
    raw = (
        '[caption id="attachment_5" align="alignleft" width="300"]<a href="https://old.example.com/'
        'wp-content/uploads/2024/01/a.jpg"><img src="https://old.example.com/wp-content/uploads/'
        '2024/01/a-300x200.jpg" alt="" /></a> Fishermen at dawn[/caption]'
    )
    html = clean_body(raw, _context()).html
    assert html == (
        '<figure><a href="https://old.example.com/wp-content/uploads/2024/01/a.jpg">'
        '<img src="/media/images/a-800w.webp" alt="Alt A" data-file="7"></a>'
        "<figcaption>Fishermen at dawn</figcaption></figure>"
    )


def test_gallery_without_ids_shows_the_posts_attached_images():
    html = clean_body('Before\n\n[gallery columns="3"]\n\nAfter', _context(), post_id=1).html
    assert html == (
        "<p>Before</p>\n"
        '<figure><img src="/media/images/a-800w.webp" alt="Alt A" data-file="7"></figure>\n'
        "<p>After</p>"
    )


def test_embeds_become_plain_links_and_unknown_shortcodes_are_listed():
    raw = (
        "Watch:\n\nhttps://youtu.be/abc\n\n[embed]https://vimeo.com/1[/embed]\n\n"
        'https://example.net/not-an-embed\n\n[poll id="2"] and [[escaped]]'
    )
    body = clean_body(raw, _context())
    assert '<figure><a href="https://youtu.be/abc">Video on YouTube</a>' in body.html
    assert '<figure><a href="https://vimeo.com/1">Video on Vimeo</a>' in body.html
    assert "<p>https://example.net/not-an-embed</p>" in body.html  # not an embed provider
    assert '[poll id="2"] and [escaped]' in body.html
    assert body.unknown_shortcodes == ["poll"]


def test_block_bodies_keep_their_markup_and_lose_the_comments():
    raw = (
        '<!-- wp:heading {"level":3} -->\n<h3>Title</h3>\n<!-- /wp:heading -->\n\n'
        "<!-- wp:paragraph -->\n<p>One\ntwo</p>\n<!-- /wp:paragraph -->"
    )
    assert clean_body(raw, _context()).html == "<h3>Title</h3>\n\n<p>One\ntwo</p>"


def test_links_to_the_old_site_are_made_relative_then_resolved():
    body = clean_body(
        'See <a href="https://old.example.com/2024/01/02/x/#part">x</a> and '
        '<a href="https://elsewhere.example/y">y</a>.',
        _context(),
    )
    assert body.internal_links
    assert 'href="/2024/01/02/x/#part"' in body.html and "https://elsewhere.example/y" in body.html
    resolved = links_rewrite(body.html, {"/2024/01/02/x/": "/news/x/"}.get)
    assert 'href="/news/x/#part"' in resolved


def test_a_link_to_an_upload_that_is_not_an_image_points_at_the_file_here():
    files = {"2024/04/report.pdf": "/media/files/2026/12/report-1a2b3c.pdf"}
    asked = []

    def file_for(url):
        asked.append(url)
        return files.get(uploads_path(url))

    body = clean_body(
        '<a href="https://old.example.com/wp-content/uploads/2024/04/report.pdf#page=3">R</a> '
        '<a href="/wp-content/uploads/2024/04/gone.docx">G</a> '
        '<a href="https://elsewhere.example/wp-content/uploads/2024/04/theirs.pdf">T</a>',
        _context(file_for=file_for),
    )

    assert 'href="/media/files/2026/12/report-1a2b3c.pdf#page=3"' in body.html
    assert 'href="/wp-content/uploads/2024/04/gone.docx"' in body.html  # kept, and listed
    assert body.files == ["gone.docx"]
    assert 'href="https://elsewhere.example/wp-content/uploads/2024/04/theirs.pdf"' in body.html
    assert len(asked) == 2  # another site's upload is not asked for


def test_an_audio_player_becomes_a_link_to_the_recording_here():
    url = "https://old.example.com/wp-content/uploads/2024/05/interview.mp3"
    files = {"2024/05/interview.mp3": "/media/files/2026/12/interview-1a2b3c.mp3"}
    context = _context(file_for=lambda url: files.get(uploads_path(url)))
    link = '<a href="/media/files/2026/12/interview-1a2b3c.mp3">Audio: interview.mp3</a>'

    block = clean_body(
        '<!-- wp:audio {"id":9} -->\n<figure class="wp-block-audio"><audio controls '
        f'src="{url}"></audio><figcaption>The minister</figcaption></figure>\n<!-- /wp:audio -->',
        context,
    )
    classic = clean_body(f'Listen:\n\n[audio mp3="{url}"][/audio]', context)
    sources = clean_body(f'<audio controls><source src="{url}" type="audio/mpeg"></audio>', context)

    assert f'<figure class="wp-block-audio">{link}<figcaption>The minister' in block.html
    assert "<audio" not in block.html
    assert classic.html == f"<p>Listen:</p>\n<p>{link}</p>" and not classic.unknown_shortcodes
    assert sources.html == f"<p>{link}</p>"


def test_the_closing_provenance_line_is_taken_out_of_the_body():
    body = clean_body("Text.\n\nSource: Report.az", _context())
    assert body.html == "<p>Text.</p>" and body.provenance_line == "Source: Report.az"
