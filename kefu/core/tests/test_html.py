import pytest

from kefu.core.html import html_to_text, normalise_body, sanitize_html


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<script>alert(1)</script><p>你好</p>", "<p>你好</p>"),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'),
        ('<img src="cid:logo@x" onerror="y()">', '<img src="cid:logo@x">'),
        ('<p style="color:red">x</p>', "<p>x</p>"),
        ("<iframe src='https://evil'></iframe>ok", "ok"),
    ],
)
def test_sanitising_keeps_content_and_drops_active_parts(dirty, clean):
    assert sanitize_html(dirty) == clean


def test_plain_text_becomes_escaped_paragraphs():
    assert normalise_body("a < b\n\n第二段\n第二行") == (
        "<p>a &lt; b</p><p>第二段<br>第二行</p>",
        "a < b\n\n第二段\n第二行",
    )


def test_html_becomes_readable_text():
    assert html_to_text("<p>第一段</p><p>第二段 &amp; more</p><br>") == "第一段\n第二段 & more"
