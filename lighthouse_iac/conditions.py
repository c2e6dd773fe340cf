"""A grant's conditions in words, one way for the plan's grants and the report's access rows alike."""

from __future__ import annotations


class Conditions:
    """What a grant is bound by: the roles it may assign (User Access Administrator), or, eligible, its
    activation policy. A mixin of `plan.Grant` and `report.access.Access`, which declare the fields."""

    __slots__ = ()  # the report's rows are slotted; a mixin with a __dict__ would give each one back

    eligible: bool
    maximum_activation: str | None
    require_mfa: bool | None
    approvers: tuple[str, ...]

    @property
    def delegated_role_names(self) -> tuple[str, ...]:
        """The roles it may assign, by name."""
        raise NotImplementedError  # a field of Grant, a property of Access

    def describe(self) -> str:
        """The conditions in words: the roles it may assign, or its activation policy ("" for none)."""
        if self.delegated_role_names:
            return "may assign: " + ", ".join(self.delegated_role_names)
        if not self.eligible:
            return ""
        parts = [f"up to {self.maximum_activation}", "MFA" if self.require_mfa else "no MFA"]
        parts.append(f"approvers: {', '.join(self.approvers)}" if self.approvers else "self-activated")
        return ", ".join(parts)
