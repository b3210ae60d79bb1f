"""ftp-anon, ftp-syst: ours (Lua and twin) against nmap's on fake FTP servers."""

from __future__ import annotations

import socket

import pytest

from . import fakes
from .harness import HAVE_NMAP, our_block, outputs

nmap = pytest.mark.skipif(not HAVE_NMAP, reason="nmap not installed")

LISTING = (b"drwxr-xr-x    2 0        0            4096 Jan 01  2024 pub\r\n"
           b"drwxrwxrwx    2 0        0            4096 Jan 01  2024 incoming\r\n"
           b"-rw-r--r--    1 0        0              12 Jan 01  2024 readme.txt\r\n")


def ftp_server(*, anon: bool = True, syst: str = "215 UNIX Type: L8",
               syst_needs_login: bool = False, listing: bytes = LISTING):
    """A fake FTP control connection handler (RFC 959 subset)."""

    def serve(c: fakes.Conn) -> None:
        c.send("220-Welcome to the fake FTP\r\n220 ready.\r\n")
        logged = False
        data_srv: socket.socket | None = None
        while (line := c.line()) is not None:
            cmd, _, arg = line.partition(" ")
            cmd = cmd.upper()
            if cmd == "USER":
                c.send("331 Please specify the password.\r\n")
            elif cmd == "PASS":
                if anon:
                    logged = True
                    c.send("230 Login successful.\r\n")
                else:
                    c.send("530 Login incorrect.\r\n")
            elif cmd == "SYST":
                if syst_needs_login and not logged:
                    c.send("530 Please login with USER and PASS.\r\n")
                else:
                    c.send(syst + "\r\n")
            elif cmd == "STAT":
                c.send("211-FTP server status:\r\n     Connected to 127.0.0.1\r\n"
                       "     Logged in as ftp\r\n211 End of status\r\n")
            elif cmd in ("PASV", "EPSV") and logged:
                data_srv = socket.socket()
                data_srv.bind(("127.0.0.1", 0))
                data_srv.listen(1)
                p = data_srv.getsockname()[1]
                if cmd == "EPSV":
                    c.send(f"229 Entering Extended Passive Mode (|||{p}|)\r\n")
                else:
                    c.send(f"227 Entering Passive Mode (127,0,0,1,{p >> 8},{p & 255}).\r\n")
            elif cmd == "LIST" and data_srv is not None:
                c.send("150 Here comes the directory listing.\r\n")
                d, _ = data_srv.accept()
                d.sendall(listing)
                d.close()
                data_srv.close()
                data_srv = None
                c.send("226 Directory send OK.\r\n")
            elif cmd == "QUIT":
                c.send("221 Goodbye.\r\n")
                return
            else:
                c.send("500 Unknown command.\r\n")

    return serve


CASES = {
    "anon-ok": {},
    "anon-refused": {"anon": False},
    "windows-syst": {"syst": "215 Windows_NT"},
    "syst-after-login": {"syst_needs_login": True, "syst": "215 UNIX Type: L8 Version: x"},
    "long-listing": {"listing": b"".join(
        b"-rw-r--r--    1 0 0 1 Jan 01  2024 f%02d\r\n" % i for i in range(25))},
}


@nmap
@pytest.mark.nmap
@pytest.mark.parametrize("script", ["ftp-anon", "ftp-syst"])
@pytest.mark.parametrize("case", list(CASES))
def test_like_nmap(script: str, case: str) -> None:
    with fakes.tcp(ftp_server(**CASES[case])) as port:
        want, lua, twin = outputs(script, port, "ftp")
    if not (script == "ftp-anon" and case == "anon-refused"):
        assert want, "nmap printed nothing: the fake is wrong"
    assert lua == want
    assert twin == lua


def test_portrule_skips_other_services() -> None:
    with fakes.tcp(ftp_server()) as port:
        assert our_block("scripts_lua/ftp-anon.nse", port, "http") == ""




def bounce_server(policy: str):
    """An FTP server whose PORT answer depends on ``policy``: any, high, none."""

    def serve(c: fakes.Conn) -> None:
        c.send("220 ready\r\n")
        while (line := c.line()) is not None:
            cmd, _, arg = line.partition(" ")
            cmd = cmd.upper()
            if cmd == "USER":
                c.send("331 pass?\r\n")
            elif cmd == "PASS":
                c.send("230 ok\r\n")
            elif cmd == "PORT":
                low = arg.split(",")[4] == "0"
                ok = policy == "any" or (policy == "high" and not low)
                c.send("200 PORT ok\r\n" if ok else "500 Illegal PORT command.\r\n")
            elif cmd == "QUIT":
                c.send("221 bye\r\n")
                return
            else:
                c.send("500 ?\r\n")

    return serve


@nmap
@pytest.mark.nmap
@pytest.mark.parametrize("policy", ["any", "high", "none"])
def test_ftp_bounce(policy: str) -> None:
    with fakes.tcp(bounce_server(policy)) as port:
        want, lua, twin = outputs("ftp-bounce", port, "ftp", args="ftp-bounce.checkhost=127.0.0.2")
    assert bool(want) == (policy != "none")
    assert lua == want
    assert twin == lua


def test_read_reply_unit() -> None:
    """RFC 959 4.2 replies, and nselib's message for a line that is not one."""
    from nse.lib import ftp

    def feed(*lines: str):
        it = iter(lines)
        return lambda *_: next(it, None)

    assert ftp.read_reply(feed("220 hi")) == (220, "hi")
    assert ftp.read_reply(feed("211-a", " b", "211 c")) == (211, "a\n b\nc")
    assert ftp.read_reply(feed('\x01junk "x"')) == (None,
                                                   'Unparseable response: "\\1junk \\"x\\""')
