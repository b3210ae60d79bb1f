"""banner: ours (Lua and twin) against nmap's on the same fake services."""

from __future__ import annotations

import pytest

from . import fakes
from .harness import HAVE_NMAP, outputs

nmap = pytest.mark.skipif(not HAVE_NMAP, reason="nmap not installed")

BANNERS = [
    b"220 fake.example ESMTP ready\r\n",
    b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n",
    b"\x00\x01binary\xff\xfe greeting with a tab\there\r\n",
    b"X" * 300 + b"\r\n",  # longer than one line: cut with "..."
]


@nmap
@pytest.mark.nmap
@pytest.mark.parametrize("banner", BANNERS, ids=["smtp", "ssh", "binary", "long"])
def test_banner_like_nmap(banner: bytes) -> None:
    def serve(c: fakes.Conn) -> None:
        c.send(banner)
        c.recv()

    with fakes.tcp(serve) as port:
        want, lua, twin = outputs("banner", port, "unknown", args="banner.timeout=1s")
    assert want.startswith(("|_banner: ", "| banner: "))
    assert lua == want
    assert twin == lua


def test_silent_service_gives_no_output() -> None:
    from .harness import our_block

    with fakes.tcp(lambda c: c.recv()) as port:
        assert our_block("scripts_lua/banner.nse", port, "unknown",
                         args="banner.timeout=200ms") == ""
