"""A rule's tunable, declared once: its key, default, JSON schema, description and the check of its value.

Everything else is generated from the declarations: the pack's config schema (`schema()`), what
`validate --config` accepts (`parse`), the settings table of docs/policy-pack.md and
policies/policy-config.example.json (`python -m lighthouse_iac.policy_engine.tunables --write`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from .. import ids
from .shape import describe

T = TypeVar("T")
Parsed = tuple[Any, str | None]
"""A value as the rules read it, or None and what is wrong with it."""

# JSON schema patterns, which the Pulumi CLI checks (Go's regexp: unanchored, `$` is the end of the text)
# before it starts the pack; the parsers accept exactly what they accept.
TENANT_ID_PATTERN = f"^{ids.GUID_PATTERN}$"


@dataclass(frozen=True)
class Tunable(Generic[T]):
    """A setting of a rule, written in the pack's config under the rule's name (and `validate --config`)."""

    key: str
    default: T
    """What the rule uses when the config does not set it."""
    value_schema: Mapping[str, Any]
    """The JSON schema of a value (type, items, pattern, minimum), which the Pulumi CLI checks."""
    description: str
    parse: Callable[[Any], Parsed]
    """A value from the config file, as the rule reads it (tuples for lists), or what is wrong with it."""
    default_text: str | None = None
    """The default in words when it is not a value one could write (allowedTenantIds: the configured
    managing tenant); the schema then states no default."""

    def json_default(self) -> Any:
        return list(self.default) if isinstance(self.default, tuple) else self.default

    def schema(self) -> dict[str, Any]:
        """The JSON schema of the setting, as the pack declares it: value schema, default, description."""
        default = {"default": self.json_default()} if self.default_text is None else {}
        return {**self.value_schema, **default, "description": self.description}


def flag(value: Any) -> Parsed:
    if not isinstance(value, bool):
        return None, f"expected true or false, found {describe(value)}"
    return value, None


def count(value: Any) -> Parsed:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return None, f"expected a whole number of at least 1, found {describe(value)}"
    return value, None


def names(value: Any) -> Parsed:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        return None, f"expected a list of role names or GUIDs, found {describe(value)}"
    return tuple(value), None


def tenant_ids(value: Any) -> Parsed:
    if not isinstance(value, list):
        return None, f"expected a list of tenant GUIDs, found {describe(value)}"
    wrong = [v for v in value if not ids.is_guid(v)]
    if wrong:
        return None, f"expected a list of tenant GUIDs; {describe(wrong[0])} is not a GUID"
    return tuple(v.lower() for v in value), None


def main(argv: list[str] | None = None) -> int:
    """Check (or with --write, rewrite) the files generated from the tunables' declarations."""
    import argparse  # noqa: PLC0415 (a developer's command: nothing of it loads with the engine)

    from ..cli.files import replace_files  # noqa: PLC0415
    from ..rules import RULES  # noqa: PLC0415
    from . import settings_docs  # noqa: PLC0415

    parser = argparse.ArgumentParser(prog="python -m lighthouse_iac.policy_engine.tunables")
    parser.add_argument("--write", action="store_true", help="rewrite the generated files")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the repository (default: here)")
    args = parser.parse_args(argv)
    doc, example = args.root / settings_docs.DOC, args.root / settings_docs.EXAMPLE
    wanted = {
        doc: settings_docs.with_table(doc.read_text(encoding="utf-8"), RULES),
        example: settings_docs.example(RULES),
    }
    stale = [p for p, text in wanted.items() if p.read_text(encoding="utf-8") != text]
    if args.write:
        for path in stale:
            replace_files(path.parent, {path.name: wanted[path].encode("utf-8")})
            print(f"wrote {path}")
        return 0
    for path in stale:
        print(f"{path} differs from what the tunables generate; run {parser.prog} --write")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
