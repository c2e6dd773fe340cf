"""escape.terminal: every control or invisible character shown as a visible escape, the rest untouched."""

from __future__ import annotations

import re

from lighthouse_iac import escape


def test_only_unprintable_characters_are_escaped() -> None:
    # terminal() returns printable text as it is without running the pattern: that is only right if no
    # character the pattern escapes is printable. Every code point is checked against the pattern.
    pattern = re.compile(escape._CONTROL)
    escaped = [c for c in map(chr, range(0x110000)) if pattern.match(c)]
    assert len(escaped) > 70 and not [c for c in escaped if c.isprintable()]


def test_controls_bidirectional_overrides_and_zero_width_characters_are_shown() -> None:
    text = "a\x1b[2Jb\rc\u202ed\u200be\ufeff\x85\n"
    assert escape.terminal(text) == "a\\x1b[2Jb\\rc\\u202ed\\u200be\\ufeff\\x85\\n"
    assert escape.terminal("Contoso (Zürich) \u2013 東京 ✓") == "Contoso (Zürich) \u2013 東京 ✓"
    assert escape.terminal("tab\there") == "tab\\there"
    assert escape.terminal("\u00a0no-break\u2007space") == "\u00a0no-break\u2007space"  # unprintable, kept
