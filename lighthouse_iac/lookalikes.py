"""Names that only look like another: letters of several scripts in one key (a Cyrillic "ie" in
`msp-readers` written with it), or compatibility forms (fullwidth or mathematical letters).

A reviewer reads a key, not its code points; two keys that render alike must not name two principals.
The script of a letter is the first word of its Unicode name (`CYRILLIC SMALL LETTER IE`), and the mixes
allowed are those of Unicode's "highly restrictive" level (UTS #39, section 5.2): one script, or Latin with
the scripts Chinese, Japanese and Korean are written in.
"""

from __future__ import annotations

import unicodedata
from types import MappingProxyType

_HAN = "HAN"
# Unicode names that do not start with their script's name, and letters shared by two scripts (none).
_SCRIPT_OF_NAME = MappingProxyType({"CJK": _HAN, "KATAKANA-HIRAGANA": None})
_ALLOWED_MIXES = (
    frozenset({"LATIN", _HAN, "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", _HAN, "BOPOMOFO"}),
    frozenset({"LATIN", _HAN, "HANGUL"}),
)


def scripts(text: str) -> set[str]:
    """The scripts of the letters in `text` (digits, punctuation and combining marks belong to none)."""
    found = set()
    for char in text:
        if char.isalpha():
            word = unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]
            script = _SCRIPT_OF_NAME.get(word, word)
            if script is not None:
                found.add(script)
    return found


def lookalike_problem(name: str) -> str | None:
    """Why `name` could pass for another name, or None when it cannot."""
    if unicodedata.normalize("NFKC", name) != name:
        return (
            f"'{name}' uses compatibility characters (fullwidth, mathematical or ligature forms) that look "
            f"like '{unicodedata.normalize('NFKC', name)}'; write it in plain characters"
        )
    used = scripts(name)
    if len(used) > 1 and not any(used <= mix for mix in _ALLOWED_MIXES):
        listed = ", ".join(sorted(s.title() for s in used))
        return (
            f"'{name}' mixes letters of several scripts ({listed}), so it can look like another name; "
            "write each key in one script"
        )
    return None
