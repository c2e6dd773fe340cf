"""The onboarding identity as read from Azure and Entra ID, judged against the stack file.

Pure: what was read (`Observation`) comes from `lighthouse_iac.live`, or from a test. Azure accepts a
delegation only from an identity that may assign roles on the subscription (ONB), and the project keeps the
seeds' rule that it is not a guest of the customer's tenant; a CSP Admin Agent under AOBO is a principal of
the partner's tenant, so only the permission applies to it (ONB; CSPDOC).
"""

from __future__ import annotations

from .findings import findings, summary
from .observed import (
    EXTERNAL_MARK,
    SHOWN_ACTIONS,
    SHOWN_TEXT,
    Assessment,
    Finding,
    Identity,
    Kind,
    Observation,
    Permission,
    SubscriptionAccess,
    shown,
)
from .permissions import assess, describe_permissions

__all__ = [
    "EXTERNAL_MARK",
    "SHOWN_ACTIONS",
    "SHOWN_TEXT",
    "Assessment",
    "Finding",
    "Identity",
    "Kind",
    "Observation",
    "Permission",
    "SubscriptionAccess",
    "assess",
    "describe_permissions",
    "findings",
    "shown",
    "summary",
]
