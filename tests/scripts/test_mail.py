"""smtp-commands, pop3-capabilities, imap-capabilities: ours against nmap's.

nmap's pop3/imap capability scripts print a Lua hash table in ``pairs`` order, which
changes from run to run; those outputs are compared as sets of words.
"""

from __future__ import annotations

import re

import pytest

from . import fakes
from .harness import HAVE_NMAP, our_block, outputs

nmap = pytest.mark.skipif(not HAVE_NMAP, reason="nmap not installed")


def smtp_server(ehlo: list[str], help_lines: list[str] | None):
    def serve(c: fakes.Conn) -> None:
        c.send("220 mail.fake.test ESMTP Fakefix\r\n")
        while (line := c.line()) is not None:
            cmd = line.split(" ")[0].upper()
            if cmd == "EHLO":
                c.send("".join(f"250{'-' if i < len(ehlo) - 1 else ' '}{x}\r\n"
                               for i, x in enumerate(ehlo)))
            elif cmd == "HELP" and help_lines is not None:
                c.send("".join(f"214{'-' if i < len(help_lines) - 1 else ' '}{x}\r\n"
                               for i, x in enumerate(help_lines)))
            elif cmd == "QUIT":
                c.send("221 bye\r\n")
                return
            else:
                c.send("502 5.5.2 Error: command not recognized\r\n")

    return serve


SMTP_CASES = {
    "postfix": (["mail.fake.test", "PIPELINING", "SIZE 10240000", "VRFY", "ETRN",
                 "STARTTLS", "ENHANCEDSTATUSCODES", "8BITMIME", "DSN", "SMTPUTF8"], None),
    "exim-help": (["mail.fake.test Hello nmap.scanme.org [127.0.0.1]", "SIZE 52428800",
                   "8BITMIME", "PIPELINING", "HELP"],
                  ["Commands supported:", "AUTH HELO EHLO MAIL RCPT DATA BDAT NOOP QUIT",
                   "RSET HELP"]),
    "one-line": (["tiny.example"], ["2.0.0 see https://example.test/help"]),
}


@nmap
@pytest.mark.nmap
@pytest.mark.parametrize("case", list(SMTP_CASES))
def test_smtp_commands(case: str) -> None:
    with fakes.tcp(smtp_server(*SMTP_CASES[case])) as port:
        want, lua, twin = outputs("smtp-commands", port, "smtp")
    assert want
    assert lua == want
    assert twin == lua


def pop3_server(greeting: str, capa: list[str] | None):
    def serve(c: fakes.Conn) -> None:
        c.send(greeting + "\r\n")
        while (line := c.line()) is not None:
            if line.upper() == "CAPA":
                if capa is None:
                    c.send("-ERR Unknown command.\r\n")
                else:
                    c.send("+OK Capability list follows\r\n"
                           + "".join(x + "\r\n" for x in capa) + ".\r\n")
            elif line.upper() == "QUIT":
                c.send("+OK bye\r\n")
                return
            else:
                c.send("-ERR\r\n")

    return serve


POP3_CASES = {
    "dovecot": ("+OK Dovecot ready.", ["CAPA", "TOP", "UIDL", "RESP-CODES", "PIPELINING",
                                       "AUTH-RESP-CODE", "STLS", "USER",
                                       "SASL PLAIN LOGIN"]),
    "apop": ("+OK POP3 ready <1896.697170952@dbc.mtview.ca.us>", ["USER", "TOP"]),
    "no-capa": ("+OK hello", None),
}


def _words(s: str) -> tuple[str, list[str]]:
    """(script prefix, sorted words) of a one-line output; SASL(A B) stays one word."""
    head, _, rest = s.partition(": ")
    return head, sorted(re.findall(r"\S+\([^)]*\)|\S+", rest))


@nmap
@pytest.mark.nmap
@pytest.mark.parametrize("case", list(POP3_CASES))
def test_pop3_capabilities(case: str) -> None:
    with fakes.tcp(pop3_server(*POP3_CASES[case])) as port:
        want, lua, twin = outputs("pop3-capabilities", port, "pop3")
    assert want
    if case == "no-capa":  # nmap's script dies on "capa = false"; ours explains
        assert "ERROR: Script execution failed" in want
        want = "|_pop3-capabilities: server doesn't support CAPA"
    assert _words(lua) == _words(want)
    assert twin == lua


def test_pop3_keeps_server_order() -> None:
    with fakes.tcp(pop3_server(*POP3_CASES["dovecot"])) as port:
        got = our_block("scripts_lua/pop3-capabilities.nse", port, "pop3")
    assert got == ("|_pop3-capabilities: CAPA TOP UIDL RESP-CODES PIPELINING AUTH-RESP-CODE"
                   " STLS USER SASL(PLAIN LOGIN)")


def imap_server(caps: str, untagged_first: bool = True):
    def serve(c: fakes.Conn) -> None:
        c.send("* OK [CAPABILITY IMAP4rev1] Fake IMAP ready.\r\n")
        while (line := c.line()) is not None:
            tag, _, cmd = line.partition(" ")
            if cmd.upper() == "CAPABILITY":
                c.send(f"* CAPABILITY {caps}\r\n{tag} OK Pre-login capabilities listed.\r\n")
            elif cmd.upper() == "LOGOUT":
                c.send(f"* BYE\r\n{tag} OK bye\r\n")
                return
            else:
                c.send(f"{tag} BAD unknown\r\n")

    return serve


IMAP_CASES = {
    "dovecot": "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS "
               "AUTH=PLAIN",
    "logindisabled": "IMAP4rev1 STARTTLS LOGINDISABLED",
}


@nmap
@pytest.mark.nmap
@pytest.mark.parametrize("case", list(IMAP_CASES))
def test_imap_capabilities(case: str) -> None:
    with fakes.tcp(imap_server(IMAP_CASES[case])) as port:
        want, lua, twin = outputs("imap-capabilities", port, "imap")
    assert want
    assert _words(lua) == _words(want)
    assert twin == lua
