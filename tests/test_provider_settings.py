"""The provider's sign-in settings: one list, read by the stack checks and by the live sign-in alike."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lighthouse_iac.provider_settings import ENVIRONMENT_ONLY, SIGN_IN, VARIABLES, sign_in_setting

DOCS = Path(__file__).resolve().parent.parent / "docs" / "security.md"


@pytest.mark.parametrize("setting", sorted(VARIABLES))
def test_each_setting_the_sign_in_reads_is_refused_in_a_stack_file(setting: str) -> None:
    # Refused as a sign-in setting, or (the OIDC request) by the sign-in gate with its own message.
    assert sign_in_setting(f"azure-native:{setting}") is (setting not in ENVIRONMENT_ONLY)
    assert sign_in_setting(f"AZURE-NATIVE:{setting.upper()}") is (setting not in ENVIRONMENT_ONLY)


def test_settings_that_change_no_identity_stay_allowed() -> None:
    for setting in ("location", "subscriptionId", "partnerId"):
        assert not sign_in_setting(f"azure-native:{setting}")


def test_the_security_page_lists_the_refused_settings() -> None:
    text = DOCS.read_text(encoding="utf-8")
    listed = text[text.index("sign-in or endpoint settings (") : text.index("; in any case)")]
    assert set(re.findall(r"`(\w+)`", listed)) == SIGN_IN
    assert all(f"`{name}`" in text for name in ENVIRONMENT_ONLY)
