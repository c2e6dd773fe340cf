"""Stacks split into shards: a CI matrix of at most a few jobs, each running its stacks in turn.

GitHub refuses a matrix of more than 256 jobs (docs.github.com, "Running variations of jobs in a
workflow": "A matrix can generate a maximum of 256 jobs per workflow run"), so a change to a shared file
over 1,000 customers cannot be one job per stack. Shards are contiguous runs of the sorted stack names,
their sizes differing by at most one, so that the same fleet always gives the same shards.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

MAX_JOBS = 256  # GitHub's matrix limit


def split(stacks: Sequence[str], shards: int | None = None, max_size: int | None = None) -> list[list[str]]:
    """`stacks` in `shards` parts (or as many as `max_size` per part needs, whichever is more); none empty."""
    count = max(shards or 1, -(-len(stacks) // max_size) if max_size else 1)
    count = min(count, len(stacks))
    if count == 0:
        return []
    size, extra = divmod(len(stacks), count)
    out: list[list[str]] = []
    start = 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        out.append(list(stacks[start:end]))
        start = end
    return out


def matrix(
    stacks: Sequence[str], shards: int | None = None, max_size: int | None = None
) -> list[dict[str, Any]]:
    """The `shard` matrix entries: a name for the job and its stacks."""
    parts = split(stacks, shards, max_size)
    return [{"name": f"{i} of {len(parts)}", "stacks": part} for i, part in enumerate(parts, start=1)]
