"""ISO 8601 durations as Lighthouse uses them for just-in-time activation (`PT30M` .. `PT8H`)."""

from __future__ import annotations

import re

_DURATION = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?\Z")

MIN_ACTIVATION_MINUTES = 30  # ELIG
MAX_ACTIVATION_MINUTES = 8 * 60  # ELIG


def parse_minutes(value: str) -> int | None:
    """Minutes in `PT#H#M`, or None when it is not of that form."""
    match = _DURATION.match(value)
    if match is None or (match.group(1) is None and match.group(2) is None):
        return None
    return int(match.group(1) or 0) * 60 + int(match.group(2) or 0)


def format_minutes(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest or not hours else "")
