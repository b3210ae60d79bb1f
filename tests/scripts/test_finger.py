"""finger against nmap's on a fake finger server."""

from __future__ import annotations

import pytest

from . import fakes
from .harness import HAVE_NMAP, outputs

nmap = pytest.mark.skipif(not HAVE_NMAP, reason="nmap not installed")


@nmap
@pytest.mark.nmap
def test_finger() -> None:
    def serve(c: fakes.Conn) -> None:
        c.line()
        c.send(b"Login     Name       Tty      Idle  Login Time   Office     Office Phone\r\n"
               b"root      root      *tty1       1d  Jan  1 10:00\r\n")
        c.sock.close()  # finger servers close after answering (RFC 1288 2.1)

    with fakes.tcp(serve) as port:
        want, lua, twin = outputs("finger", port, "finger")
    assert want.startswith("| finger: ")
    assert lua == want
    assert twin == lua
