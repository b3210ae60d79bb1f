"""mysql-info, vnc-info, ntp-info: ours against nmap's on fake servers."""

from __future__ import annotations

import struct

import pytest

from . import fakes
from .harness import HAVE_NMAP, outputs

nmap = pytest.mark.skipif(not HAVE_NMAP, reason="nmap not installed")


def mysql_greeting(version: bytes = b"10.11.3-MariaDB-1", *, error: bool = False,
                   caps: int = 0xF7FE, ext: int = 0x81BF, plugin: bytes = b"mysql_native_password"
                   ) -> bytes:
    if error:
        body = b"\xff" + struct.pack("<H", 1130) + b"Host '127.0.0.1' is not allowed"
    else:
        salt = b"abcdefgh"
        body = (b"\x0a" + version + b"\0" + struct.pack("<I", 31) + salt + b"\0"
                + struct.pack("<HBHHB", caps, 8, 2, ext, 21) + b"\0" * 10
                + b"ijklmnopqrst" + b"\0" + plugin + b"\0")
    return struct.pack("<I", len(body))[:3] + b"\0" + body


@nmap
@pytest.mark.nmap
@pytest.mark.parametrize("case", ["mariadb", "mysql5", "refused"])
def test_mysql_info(case: str) -> None:
    pkt = {"mariadb": mysql_greeting(),
           "mysql5": mysql_greeting(b"5.7.42-log", caps=0xFFFF, ext=0x81FF),
           "refused": mysql_greeting(error=True)}[case]

    def serve(c: fakes.Conn) -> None:
        c.send(pkt)
        c.recv()

    with fakes.tcp(serve) as port:
        want, lua, twin = outputs("mysql-info", port, "mysql")
    if case == "refused":  # shown only at -vv by both
        assert want == lua == twin == ""
        return
    # nmap lists "Some Capabilities" in hash order: compare that line as a set
    def caps(s: str) -> tuple[str, set[str]]:
        lines = s.splitlines()
        found = set()
        for i, ln in enumerate(lines):
            if ln.startswith("|   Some Capabilities: "):
                found = set(ln.split(": ", 1)[1].split(", "))
                lines[i] = "|   Some Capabilities: *"
        return "\n".join(lines), found

    assert "Version:" in want
    assert caps(lua) == caps(want)
    assert twin == lua


def vnc_server(version: bytes, types: list[int], vencrypt: list[int] | None = None):
    def serve(c: fakes.Conn) -> None:
        c.send(version)
        c.line()
        if version.startswith(b"RFB 003.003"):
            c.send(struct.pack(">I", types[0]))
            if types[0] == 0:
                c.send(struct.pack(">I", 6) + b"go away")
            return
        c.send(bytes([len(types), *types]))
        if not types:
            c.send(struct.pack(">I", 11) + b"Too many tries")
            return
        choice = c.recv_exact(1)
        if choice == b"\x13" and vencrypt is not None:
            c.send(b"\x00\x02")
            c.recv_exact(2)
            c.send(b"\x00" + bytes([len(vencrypt)])
                   + b"".join(struct.pack(">I", v) for v in vencrypt))
            c.recv()

    return serve


VNC_CASES = {
    "3.8-vncauth": (b"RFB 003.008\n", [2]),
    "3.8-none": (b"RFB 003.008\n", [1, 2, 30]),
    "3.7": (b"RFB 003.007\n", [2, 5, 99]),
    "3.3": (b"RFB 003.003\n", [2]),
    "unknown-version": (b"RFB 004.001\n", [2]),
    "vencrypt": (b"RFB 003.008\n", [19, 2], [258, 261, 257]),
    "refused": (b"RFB 003.008\n", []),
}


@nmap
@pytest.mark.nmap
@pytest.mark.parametrize("case", list(VNC_CASES))
def test_vnc_info(case: str) -> None:
    with fakes.tcp(vnc_server(*VNC_CASES[case])) as port:
        want, lua, twin = outputs("vnc-info", port, "vnc")
    assert want or case == "refused"
    assert lua == want
    assert twin == lua


NTP_VARS = (b'version="ntpd 4.2.8p15@1.3728-o Wed Sep 23 11:46:38 UTC 2020 (1)",'
            b'processor="x86_64", system="Linux/6.1.0-9-amd64", leap=0, stratum=2,'
            b'\r\nprecision=-24, rootdelay=0.456, refid=192.0.2.1, '
            b'clock=0xe93c7b2d.12345678, peer=1234, tc=10, mintc=3, '
            b'note="say \\"hi\\" \\\\ there"')


def ntp_server(vars_: bytes | None = NTP_VARS, time_ok: bool = True):
    def answer(data: bytes) -> bytes | None:
        if data[0] & 7 == 3 and time_ok:  # client mode: a server packet
            recv = struct.pack(">II", 3913013045, 0x20000000)
            return b"\x24\x02\x06\xe9" + b"\0" * 8 + b"\xc0\x00\x02\x01" + b"\0" * 16 \
                + recv + recv
        if data[0] & 7 == 6 and vars_ is not None:  # control READVAR
            pad = b"\0" * (-len(vars_) % 4)
            return b"\x16\x82\x00\x01\x06\x15\x00\x00\x00\x00" \
                + struct.pack(">H", len(vars_)) + vars_ + pad
        return None

    return answer


@nmap
@pytest.mark.nmap
@pytest.mark.parametrize("case", ["full", "no-vars"])
def test_ntp_info(case: str) -> None:
    # (a server that ignores one of the two requests costs 10 s per run: not tested here)
    srv = ntp_server(vars_=b"" if case == "no-vars" else NTP_VARS)
    with fakes.udp(srv) as port:
        want, lua, twin = outputs("ntp-info", port, "ntp", proto="udp")
    assert want
    assert lua == want
    assert twin == lua
