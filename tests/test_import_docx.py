"""An editor imports Word documents."""

from articles.models import Article

from .importing import docx_bytes, run_import


def test_a_word_document_keeps_headings_emphasis_links_lists_and_quotes(tmp_path, make_category):
    make_category("Culture")
    (tmp_path / "mugham.docx").write_bytes(
        docx_bytes(
            [
                ("Heading1", ["Mugham nights in Shusha"]),
                (
                    "",
                    [
                        "The festival is ",
                        ("b", "back"),
                        " and ",
                        ("i", "sold out"),
                        "; see ",
                        ("link", "rL1", "the programme"),
                        ".",
                    ],
                ),  # fmt: skip
                ("Heading2", ["Who plays"]),
                ("list", ["Alim Qasimov"]),
                ("list", ["Fargana Qasimova"]),
                ("Quote", ["Mugham is a conversation."]),
            ],
            core_title="Draft 3 (do not use)",
            links=[("rL1", "https://example.org/programme")],
        )
    )

    status, out, err = run_import(tmp_path / "mugham.docx", "--category", "culture")

    assert status == 0, err
    article = Article.objects.get()
    assert article.title == "Mugham nights in Shusha"
    assert article.body == (
        '<p>The festival is <strong>back</strong> and <em>sold out</em>; see <a href="https:'
        '//example.org/programme" rel="noopener noreferrer">the programme</a>.</p>'
        "<h2>Who plays</h2><ul><li>Alim Qasimov</li><li>Fargana Qasimova</li></ul>"
        "<blockquote><p>Mugham is a conversation.</p></blockquote>"
    )
    assert article.status == "draft"


def test_with_no_heading_the_title_comes_from_the_document_properties(tmp_path, make_category):
    make_category("Culture")
    (tmp_path / "note.docx").write_bytes(
        docx_bytes([("", ["Carpet weavers of Guba."])], core_title="The weavers of Guba")
    )

    assert run_import(tmp_path / "note.docx", "--category", "culture")[0] == 0

    article = Article.objects.get()
    assert article.title == "The weavers of Guba"
    assert article.body == "<p>Carpet weavers of Guba.</p>"
