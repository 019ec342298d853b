"""quotes: the new text is cut from quoted history and signatures, in text and in HTML."""

from __future__ import annotations

import pytest

from kefu.channels.email.parse.quotes import MAX_SCAN_CHARS, split_html, split_text


@pytest.mark.parametrize(
    "marker",
    [
        "On Thu, Nov 19, 2026 at 9:00 AM Support <support@kefu.test> wrote:",
        "On 19 Nov 2026, at 09:00, Support <support@kefu.test> wrote:",
        "On 11/19/26 09:00, Kefu Support wrote:",
        "Le jeu. 19 nov. 2026 à 09:00, Support <support@kefu.test> a écrit :",
        "Support <support@kefu.test> 于2026年11月19日周四 09:00写道：",
        '在 2026-11-19 09:00:00，"客服中心" <support@kefu.test> 写道：',
        "2026年11月19日 09:00，客服中心 <support@kefu.test> 写道：",
        "------------------ 原始邮件 ------------------",
        "------------------ Original ------------------",
        "-----Original Message-----",
        "-----邮件原件-----",
    ],
)
def test_attribution_and_divider_lines(marker):
    assert split_text(f"New words.\n\n{marker}\n> old words\n") == ("New words.", True)


def test_gmail_attribution_wrapped_over_two_lines():
    text = "New.\n\nOn Thu, Nov 19, 2026 at 9:00 AM Support <\nsupport@kefu.test> wrote:\n\n> old\n"
    assert split_text(text) == ("New.", True)


@pytest.mark.parametrize(
    "block",
    [
        "From: Support <support@kefu.test>\nSent: Thursday, 19 November 2026\nTo: Alice\nSubject: Re: x",
        "发件人: 客服 <support@kefu.test>\n发送时间: 2026年11月19日 9:00\n收件人: 王五\n主题: 回复: x",
        "发件人：客服\n发送时间：2026年11月19日\n收件人：王五\n主题：x",
        "*From:* Support\n*Sent:* Thursday\n*To:* Alice",
        "De : Support\nEnvoyé : jeudi 19 novembre 2026 09:00\nÀ : Alice\nObjet : RE: x",
        "寄件者: 客服\n寄件日期: 2026年11月19日\n收件者: 王五\n主旨: x",
    ],
)
def test_outlook_header_blocks(block):
    assert split_text(f"Done.\n\n________________________________\n{block}\n\nold body\n") == ("Done.", True)


def test_a_single_from_line_is_not_a_quote():
    text = "From: the warehouse manager\nThe parcel left today."
    assert split_text(text) == (text, False)


def test_signature_is_cut_without_counting_as_quote():
    assert split_text("Question?\n\n-- \nAlice\nACME") == ("Question?", False)


@pytest.mark.parametrize("line", ["Sent from my iPhone", "发自我的iPhone", "Get Outlook for Android"])
def test_mobile_signatures(line):
    assert split_text(f"Yes.\n\n{line}\n") == ("Yes.", False)


def test_signature_before_quote_is_cut_at_the_signature():
    text = "Answer.\n-- \nBob\n\nOn Mon, Bob <b@x> wrote:\n> q"
    assert split_text(text) == ("Answer.", True)


def test_trailing_quote_block_without_attribution():
    assert split_text("Agreed.\n\n> you said\n> this\n") == ("Agreed.", True)


def test_interleaved_replies_are_kept_whole():
    text = "> question one\nanswer one\n> question two\nanswer two"
    assert split_text(text) == (text, False)


def test_bottom_posting_keeps_the_text_after_the_quote():
    text = "On Mon, Bob <b@x> wrote:\n> old\n\nnew reply"
    assert split_text(text) == ("new reply", True)


def test_gmail_zh_attribution_wrapped_after_the_angle_bracket():
    text = "好的。\n\n张三 <\nzhang@example.cn> 于2026年11月19日周四 09:00写道：\n> 旧\n"
    assert split_text(text) == ("好的。", True)


def test_only_a_quote_keeps_everything():
    text = "On Mon, Bob <b@x> wrote:\n> old"
    assert split_text(text) == (text, True)


def test_only_a_signature_keeps_everything():
    assert split_text("-- \nAlice") == ("-- \nAlice", False)


def test_no_markers_keeps_everything():
    assert split_text("  Just a question.\n") == ("Just a question.", False)


def test_huge_text_only_scans_a_prefix():
    text = "a\n" * (MAX_SCAN_CHARS // 2 + 10) + "On Mon, Bob <b@x> wrote:\n> old"
    new, quoted = split_text(text)
    assert quoted is False
    assert new == text.strip()


def test_html_gmail_quote():
    markup = '<div>New</div><div class="gmail_quote">On Mon wrote:<blockquote>old</blockquote></div>'
    assert split_html(markup) == ("<div>New</div>", True)


def test_html_outlook_reply_div():
    markup = '<p>New</p><div id="divRplyFwdMsg"><b>From:</b> x</div><p>old</p>'
    assert split_html(markup) == ("<p>New</p>", True)


def test_html_thunderbird_signature_and_cite_prefix():
    markup = (
        '<p>New</p><div class="moz-signature">-- <br>Bob</div>'
        '<div class="moz-cite-prefix">On Mon, Bob wrote:</div><blockquote type="cite">old</blockquote>'
    )
    assert split_html(markup) == ("<p>New</p>", True)


def test_html_text_marker_inside_markup():
    markup = (
        "<div>收到</div><div>------------------&nbsp;原始邮件&nbsp;------------------</div><div>old</div>"
    )
    assert split_html(markup) == ("<div>收到</div>", True)


def test_html_outlook_zh_header_block_in_paragraph():
    markup = (
        "<p>好的</p><div><p><b>发件人：</b>客服<br><b>发送时间：</b>2026年11月19日<br>"
        "<b>收件人：</b>王五<br><b>主题：</b>x</p></div>"
    )
    assert split_html(markup) == ("<p>好的</p><div>", True)


def test_html_quote_only_keeps_the_whole_message():
    markup = '<blockquote type="cite">old</blockquote>'
    assert split_html(markup) == (markup, True)


def test_html_without_markers_is_unchanged():
    assert split_html("<p>Hello</p>") == ("<p>Hello</p>", False)


def test_html_markers_inside_style_are_ignored():
    markup = '<style>/* <div class="gmail_quote"> */</style><p>Hello</p>'
    assert split_html(markup) == (markup, False)
