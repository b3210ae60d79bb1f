"""Transpiler tests keep their conversion cache out of the user's ~/.cache."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    cache: Path = tmp_path_factory.getbasetemp() / "nse-cache"
    monkeypatch.setenv("NSE_CACHE_DIR", str(cache))
    yield
