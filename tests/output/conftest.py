"""Output tests: dates are local time (as nmap's), so the zone is pinned to UTC."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Dates are local time (as nmap's): pin the zone so outputs do not depend on it."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture()
def own_services(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use nse's own services table, not nmap's (whether nmap's data are installed must
    not change golden files)."""
    from nse.scan import services

    real = services.load_services
    monkeypatch.setattr(services, "load_services",
                        lambda datadir=None, use_nmap=True: real(datadir, use_nmap=False))
