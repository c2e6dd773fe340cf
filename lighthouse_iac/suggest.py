""" "Did you mean": the one way a message suggests the name the user probably meant."""

from __future__ import annotations

from collections.abc import Iterable


def close_names(word: str, known: Iterable[str], *, n: int = 1, cutoff: float = 0.6) -> list[str]:
    """The known names closest to `word`, best first (difflib's ratio of at least `cutoff`)."""
    import difflib  # noqa: PLC0415  (only a mistake needs it: not on the start-up of every command)

    return difflib.get_close_matches(word, list(known), n=n, cutoff=cutoff)


def did_you_mean(word: str, known: Iterable[str], *, cutoff: float = 0.6) -> str:
    """` (did you mean 'name'?)` for the closest known name, or nothing when none is close."""
    close = close_names(word, known, cutoff=cutoff)
    return hint(close[0]) if close else ""


def hint(name: str) -> str:
    """The suggestion as messages write it, after the word it corrects."""
    return f" (did you mean '{name}'?)"
