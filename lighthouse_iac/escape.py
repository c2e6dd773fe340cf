"""How text from files a pull request can change is written into each output others read.

Names (customers, principals, offers, roles) are free text. Each output has its own way to be tricked by
them: a terminal obeys escape sequences, Markdown renders links, images, HTML and @mentions, a spreadsheet
runs formulas, a shell splits words. docs/security.md, "What each output escapes", lists what each
function here guards against.
"""

from __future__ import annotations

import re
import shlex

# C0 and C1 controls, DEL, and the invisible characters that reorder or hide text (Trojan Source). Kept as
# text and compiled by `re` when first needed: compiling this class of wide ranges took milliseconds of
# every command's start, and most commands never print a name that has one.
_CONTROL = r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"


def _escaped(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def terminal(text: str) -> str:
    """Control characters (ESC, CR, BEL, newlines, bidirectional overrides) as visible escapes: `\\x1b`."""
    if text.isprintable():  # every character _CONTROL matches is unprintable to Python (Cc, Cf, Zl, Zp)
        return text
    return re.sub(_CONTROL, _escaped, text)


# Inline Markdown that could turn text into something else: emphasis, code, links and images (`[`, `]`),
# autolinks and HTML (`<`, `>`, `&`), table cells (`|`), strikethrough (`~`), and the escape itself.
_MARKDOWN = re.compile(r"[\\`*_\[\]<>&|~]")


# What opens a block when a name starts a line or a list item's text (the export README's `- {offer}` and
# `  - {principal} has ...`): a heading, a bullet or a thematic break, an ordered list.
_BLOCK_START = re.compile(r"^(\s*)(?:([#+\-])|(\d{1,9})([.)]))")


def _inline(match: re.Match[str]) -> str:
    space, marker, number, delimiter = match.groups()
    return f"{space}\\{marker}" if marker else f"{space}{number}\\{delimiter}"


def markdown(text: str) -> str:
    """Text that renders as itself in a line of GitHub Markdown, table cells included.

    Newlines and CR become spaces (one name, one line); `@name` cannot mention anyone: a zero-width space
    follows the `@`, as Renovate and Dependabot do in pull request comments.
    """
    one_line = re.sub(r"\r\n|[\r\n\u2028\u2029]", " ", text)
    escaped = _MARKDOWN.sub(lambda m: "\\" + m.group(), terminal(one_line))
    return _BLOCK_START.sub(_inline, escaped).replace("@", "@&#8203;")


def code(text: str) -> str:
    """A Markdown code span holding `text` literally, whatever backticks it contains."""
    one_line = re.sub(r"[\r\n\u2028\u2029]", " ", terminal(text))
    longest = max((len(run) for run in re.findall(r"`+", one_line)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {one_line} " if one_line.startswith("`") or one_line.endswith("`") else one_line
    # In a GitHub table a `|` ends the cell even inside a code span, unless escaped.
    return f"{fence}{padded.replace('|', chr(92) + '|')}{fence}"


# A spreadsheet runs a cell that starts like a formula. Excel also splits a cell on `;` or `,` when a
# locale makes that the separator, so a formula after a separator counts too (CSV injection, OWASP).
_FORMULA = re.compile(r"(^|[,;\t\r\n])([=+\-@\t\r])")


def csv_cell(text: str) -> str:
    """A CSV cell that no spreadsheet evaluates: every formula start gets a leading `'`."""
    return _FORMULA.sub(lambda m: f"{m.group(1)}'{m.group(2)}", text)


def shell(word: str) -> str:
    """One word for a POSIX shell, quoted unless it is plainly safe."""
    return shlex.quote(word)
