"""vnc-info's Tight, TLS and VeNCrypt sub-handshakes against a fake RFB 3.8 server,
ours (scripts_lua/vnc-info.nse and its twin) compared with nmap 7.93's vnc-info.

The fake server (:func:`vnc_server`) answers each connection as a real one would: the
version exchange, the security-type list, then the sub-handshake of the type the
client picks (RFB 3.8, "rfbproto" sections 7.1.2, 7.2.x):

* Tight (16): a tunnel-capability list (the client picks one, 4 bytes), then an
  authentication-capability list; capabilities are code (u32), vendor (4), name (8).
  ``aten`` (24 bytes) is sent in place of both lists, as an ATEN iKVM does.
* VeNCrypt (19): version 0.2 both ways, an ack byte, then u8 count and u32 subtypes.
* TLS (18): a TLS handshake (self-signed certificate), then inside it a new
  security-type list.
"""

from __future__ import annotations

import ssl
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from . import fakes
from .harness import HAVE_NMAP, outputs

nmap = pytest.mark.skipif(not HAVE_NMAP, reason="nmap not installed")

Cap = tuple[int, bytes, bytes]

TIGHT_TUNNELS: list[Cap] = [(0, b"TGHT", b"NOTUNNEL")]
TIGHT_AUTH: list[Cap] = [(1, b"STDV", b"NOAUTH__"), (2, b"STDV", b"VNCAUTH_")]


def _caps(caps: list[Cap]) -> bytes:
    return struct.pack(">I", len(caps)) + b"".join(
        struct.pack(">I", c) + v + s for c, v, s in caps)


def vnc_server(types: list[int], *, tunnels: list[Cap] | None = None,
               auth: list[Cap] | None = None, aten: bytes | None = None,
               vencrypt: list[int] | None = None, tls_types: list[int] | None = None,
               ctx: ssl.SSLContext | None = None) -> Callable[[fakes.Conn], None]:
    """A handler for :func:`fakes.tcp`: one RFB 3.8 session per connection."""

    def serve(c: fakes.Conn) -> None:
        c.send(b"RFB 003.008\n")
        if c.line() is None:
            return
        c.send(bytes([len(types), *types]))
        choice = c.recv_exact(1)
        if choice == b"\x10":  # Tight
            if aten is not None:
                c.send(aten)
                c.recv()
                return
            tun = TIGHT_TUNNELS if tunnels is None else tunnels
            c.send(_caps(tun))
            if tun:
                # a client takes NOTUNNEL (code 0) when offered, else it is refused here
                want = 0 if any(t[0] == 0 for t in tun) else tun[0][0]
                if c.recv_exact(4) != struct.pack(">I", want):
                    return
            c.send(_caps(TIGHT_AUTH if auth is None else auth))
            c.recv()
        elif choice == b"\x13" and vencrypt is not None:  # VeNCrypt
            c.send(b"\x00\x02")
            if c.recv_exact(2) != b"\x00\x02":
                return
            c.send(b"\x00" + bytes([len(vencrypt)])
                   + b"".join(struct.pack(">I", v) for v in vencrypt))
            c.recv()
        elif choice == b"\x12" and ctx is not None:  # TLS
            s = ctx.wrap_socket(c.sock, server_side=True)
            inner = [1] if tls_types is None else tls_types
            s.sendall(bytes([len(inner), *inner]))
            try:
                s.recv(16)
            except (OSError, ssl.SSLError):
                pass

    return serve


@pytest.fixture(scope="module")
def tls_ctx(tmp_path_factory: pytest.TempPathFactory) -> ssl.SSLContext:
    d: Path = tmp_path_factory.mktemp("vnccert")
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=vnc.test", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(cert), str(key))
    return ctx


CASES: dict[str, dict[str, object]] = {
    "tight": {"types": [16]},
    "tight-and-vncauth": {"types": [2, 16]},
    "tight-no-tunnels": {"types": [16], "tunnels": []},
    "tight-no-auth-types": {"types": [16], "auth": []},
    "tight-notunnel-second": {"types": [16], "tunnels": [(1, b"SICR", b"SCHANNEL"),
                                                         (0, b"TGHT", b"NOTUNNEL")]},
    "tight-other-tunnel": {"types": [16], "tunnels": [(1, b"SICR", b"SCHANNEL")],
                           "auth": [(2, b"STDV", b"VNCAUTH_")]},
    # an ATEN's 24 bytes: a count no Tight list has, or counts that leave bytes unread
    "aten": {"types": [16], "aten": b"\xaa\xbb\xcc\xdd" + b"\x00" * 20},
    "aten-zero-counts": {"types": [16], "aten": b"\x00" * 24},
    "tls": {"types": [18], "tls_types": [2]},
    "tls-none": {"types": [18], "tls_types": [1, 2]},
    "vencrypt-x509": {"types": [19], "vencrypt": [260, 261, 262]},
}


def _server(case: dict[str, object], ctx: ssl.SSLContext) -> Callable[[fakes.Conn], None]:
    return vnc_server(**case, ctx=ctx)  # type: ignore[arg-type]


@nmap
@pytest.mark.nmap
@pytest.mark.parametrize("name", list(CASES))
def test_vnc_info_sub_handshakes_equal_nmap(tls_ctx: ssl.SSLContext, name: str) -> None:
    with fakes.tcp(_server(CASES[name], tls_ctx)) as port:
        want, lua, twin = outputs("vnc-info", port, "vnc")
    assert "Protocol version: 3.8" in want
    if name.startswith(("tight", "aten")):
        assert "Tight auth" in want
    assert lua == want
    assert twin == lua


def sections(block: str) -> dict[str, list[str]]:
    """A vnc-info block's top-level keys, each with its lines (the ``|_`` made ``|``)."""
    out: dict[str, list[str]] = {}
    key = ""
    for ln in block.splitlines()[1:]:
        ln = "|  " + ln[3:]
        if not ln.startswith("|    "):
            key = ln[4:].split(":", 1)[0]
        out.setdefault(key, []).append(ln)
    return out


COMBOS = {
    # nmap 7.93's vnc-info dies on these ("socket must be connected": it asks a closed
    # socket for get_info before reconnecting); ours reconnects for each sub-handshake,
    # so its sections must equal those nmap prints for each type offered alone.
    "vencrypt+tight": ({"types": [19, 16], "vencrypt": [256, 257]},
                       [{"types": [19], "vencrypt": [256, 257]}, {"types": [16]}]),
    "tight+tls": ({"types": [16, 18], "auth": [(2, b"STDV", b"VNCAUTH_")], "tls_types": [2]},
                  [{"types": [16], "auth": [(2, b"STDV", b"VNCAUTH_")]},
                   {"types": [18], "tls_types": [2]}]),
    "all-three": ({"types": [2, 16, 18, 19], "vencrypt": [258], "tls_types": [2]},
                  [{"types": [19], "vencrypt": [258]}, {"types": [16]},
                   {"types": [18], "tls_types": [2]}]),
}


@nmap
@pytest.mark.nmap
@pytest.mark.parametrize("name", list(COMBOS))
def test_vnc_info_several_sub_handshakes(tls_ctx: ssl.SSLContext, name: str) -> None:
    combo, singles = COMBOS[name]
    with fakes.tcp(_server(combo, tls_ctx)) as port:
        _, lua, twin = outputs("vnc-info", port, "vnc", with_nmap=False)
    assert twin == lua
    ours = sections(lua)
    want: dict[str, list[str]] = {}
    for single in singles:
        with fakes.tcp(_server(single, tls_ctx)) as port:
            nmap_out, _, _ = outputs("vnc-info", port, "vnc")
        for key, lines in sections(nmap_out).items():
            if key not in ("Protocol version", "Security types"):
                want[key] = lines
    assert ours.pop("Protocol version") == ["|   Protocol version: 3.8"]
    types = ours.pop("Security types")
    assert len(types) == 1 + len(combo["types"])  # type: ignore[arg-type]
    assert list(ours) == [k for k in ("VeNCrypt auth subtypes", "Tight auth tunnels",
                                      "Tight auth subtypes", "TLS auth subtypes", "WARNING")
                          if k in want]
    assert ours == want
