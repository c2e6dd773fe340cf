"""The northwind fixture customer (tests/projects.py) as the fake sees it: its tenant, identity and
subscriptions, and the run of the real program with the live verifier pointed at the fake."""

from __future__ import annotations

import os
from pathlib import Path

from lighthouse_iac.live.settings import endpoints
from lighthouse_iac.live.verifier import LiveVerifier

from ..engine import Client, Registered, Run, run_program
from ..projects import BASELINE, STACK, make_project
from .fake_azure import FakeCredential

TENANT = "8ad2ca68-ccfd-43e6-8ff9-3428cca138a5"
OBJECT = "76f7b000-9bd5-41e3-aa58-563670d45b51"
SUB1 = "9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f"
SUB2 = "cd517f52-d3a6-4df4-b0f7-c5afce02d973"
MEMBER_UPN = "onboarding@northwind.onmicrosoft.com"
GUEST_UPN = "jane_fabrikam.com#EXT#@northwind.onmicrosoft.com"


def live(credential: FakeCredential) -> LiveVerifier:
    return LiveVerifier(credential, endpoints(os.environ))


def run_live(
    tmp: Path,
    credential: FakeCredential,
    *,
    preview: bool = False,
    stack_text: str = BASELINE,
    into: list[Registered] | None = None,
) -> Run:
    project = make_project(tmp, stack_text)
    return run_program(
        STACK,
        client=Client(TENANT, OBJECT),
        preview=preview,
        project_dir=project,
        into=into,
        verifier=live(credential),
    )
