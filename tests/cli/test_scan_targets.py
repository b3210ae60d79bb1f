"""A host name that does not resolve is skipped with nmap's warning, the other targets
are scanned, and the exit status says some target failed (1).  The resolver is replaced
in-process, so no DNS query leaves the machine."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from nse.cli_scan import main


def test_unresolvable_name_is_skipped_with_exit_1(monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    real = socket.getaddrinfo

    def fake(host: Any, *a: Any, **kw: Any) -> Any:
        if host == "no-such-host.example":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *a, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    rc = main(["-sn", "-n", "no-such-host.example", "127.0.0.1"])
    out, err = capsys.readouterr()
    assert rc == 1
    assert 'Failed to resolve "no-such-host.example".' in err.splitlines()
    assert "Nmap scan report for 127.0.0.1" in out.splitlines()
    assert out.splitlines()[-1].startswith("Nmap done: 1 IP address (1 host up) scanned in ")


def test_only_unresolvable_names_scan_nothing(monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    def fake(host: Any, *a: Any, **kw: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    rc = main(["-sn", "-n", "no-such-host.example"])
    out, err = capsys.readouterr()
    assert rc == 1
    assert "WARNING: No targets were specified, so 0 hosts scanned." in err
    assert out.splitlines()[-1].startswith("Nmap done: 0 IP addresses (0 hosts up)")
