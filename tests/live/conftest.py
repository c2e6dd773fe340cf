"""The fake ARM and Graph, and the environment that points the live check at them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lighthouse_iac.live.settings import ARM_ENDPOINT_VARIABLE, GRAPH_ENDPOINT_VARIABLE, SKIP_VARIABLE

from .fake_azure import FakeAzure, serve


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAzure]:
    with serve(tmp_path) as (server, ca_file):
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca_file))  # requests (azure-core's transport) reads it
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        monkeypatch.setenv(ARM_ENDPOINT_VARIABLE, server.base_url)
        monkeypatch.setenv(GRAPH_ENDPOINT_VARIABLE, server.base_url)
        monkeypatch.delenv(SKIP_VARIABLE, raising=False)
        yield server
