"""The console's template helpers: readable text on a priority's colour."""

from __future__ import annotations

import pytest

from kefu.tickets.models import Priority
from kefu.tickets.templatetags.kefu_console import priority_badge, text_colour


@pytest.mark.parametrize(
    ("background", "expected"),
    [
        ("#ffffff", "#000"),
        ("#ffeb3b", "#000"),  # light yellow
        ("#2fb344", "#000"),  # Tabler green: black reads better than white
        ("#d63939", "#fff"),  # Tabler red
        ("#206bc4", "#fff"),  # Tabler blue
        ("#000000", "#fff"),
        ("not a colour", "#fff"),  # falls back to the grey, on which white reads better
    ],
)
def test_text_colour_contrasts_with_the_background(background, expected):
    assert text_colour(background) == expected


def test_the_priority_badge_escapes_the_name_and_ignores_a_bad_colour():
    priority = Priority(name="<b>急</b>", colour="red;x")
    assert str(priority_badge(priority, "p")) == (
        '<span class="badge" style="background-color: #6c757d; color: #fff" data-testid="p">'
        "&lt;b&gt;急&lt;/b&gt;</span>"
    )
