"""PCRE -> Python re translation: each row is a PCRE construct, a subject and whether PCRE
matches it (and what group 1 is).  Expectations follow pcrepattern(3) for PCRE 8.x in
non-UTF mode, the mode nmap uses."""

from __future__ import annotations

import pytest

from nse.scan.vscan.pcre import PcreError, compile_pcre, translate

CASES = [
    # pattern, flags, subject, matches, group1
    (r"^SSH-([\d.]+)-", "", b"SSH-2.0-OpenSSH", True, b"2.0"),
    (r"^\x41\x4", "", b"A\x04", True, None),            # \xh with one digit
    (r"^\x{41}B", "", b"AB", True, None),                 # braces
    (r"^a\0b", "", b"a\x00b", True, None),                # \0
    (r"^a\012b", "", b"a\nb", True, None),                # octal
    (r"^(a)\1", "", b"aa", True, b"a"),                   # backreference
    (r"^(a)\10", "", b"a\x08", True, b"a"),               # \10 with 1 group: octal 010
    (r"abc\z", "", b"abc\n", False, None),                # \z: absolute end
    (r"abc\Z", "", b"abc\n", True, None),                 # \Z: before a final newline
    (r"abc\Z", "", b"abc\nx", False, None),
    (r"^[[:alpha:]]+$", "", b"Hello", True, None),        # POSIX class
    (r"^[[:^digit:]]+$", "", b"abc", True, None),
    (r"^[[:^digit:]]+$", "", b"ab1", False, None),
    (r"^[\w-.]+$", "", b"a-b.c", True, None),             # '-' after a class shorthand
    (r"^[]a]+$", "", b"]a]", True, None),                 # ']' first is literal
    (r"^[^]a]+$", "", b"bcd", True, None),
    (r"^(?<ver>\d+)x", "", b"12x", True, b"12"),          # named group, PCRE syntax
    (r"^(?'v'\d+)x\k<v>", "", b"1x1", True, b"1"),
    (r"^a++b", "", b"aab", True, None),                   # possessive
    (r"^a++a", "", b"aaa", False, None),                  # possessive never gives back
    (r"^(?>a+)a", "", b"aaa", False, None),               # atomic group
    (r"^HELLO", "i", b"hello", True, None),
    (r"^a.b", "", b"a\nb", False, None),
    (r"^a.b", "s", b"a\nb", True, None),
    (r"^a(?i)b|c", "", b"C", True, None),                 # mid-pattern flag reaches the
    (r"^a(?i)b|c", "", b"aB", True, None),                # whole rest of the group,
    (r"^a(?i)b|c", "", b"Ab", False, None),               # across '|', not before it
    (r"^x{,2}$", "", b"x{,2}", True, None),               # '{,n}' is literal in PCRE
    (r"^a{2}$", "", b"aa", True, None),
    (r"^\h\v$", "", b"\t\r", True, None),                 # \v is vertical space in PCRE
    (r"^\Qa.b\E$", "", b"a.b", True, None),
    (r"^\Qa.b\E$", "", b"axb", False, None),
    (r"^\y", "", b"y", True, None),                       # unknown escape = the letter
    (r"^\e\cA", "", b"\x1b\x01", True, None),
    (r"^\w+$", "", b"caf\xe9", False, None),              # \w is ASCII (C locale)
    (r"^.\xff", "", b"a\xff", True, None),                # bytes above 0x7f
    (r"^a(?#comment)b", "", b"ab", True, None),
    (r"(?<=\x00)ID", "", b"\x00ID", True, None),
    (r"^(?U)a+", "", b"aaa", True, None),
    (r"^[\d-z]+$", "", b"1-z", True, None),
    (r"^\N+$", "", b"ab", True, None),
    (r"^a\R", "", b"a\r\n", True, None),
]


@pytest.mark.parametrize("pattern,flags,subject,matches,group1", CASES)
def test_translation(pattern: str, flags: str, subject: bytes, matches: bool,
                     group1: bytes | None) -> None:
    rx = compile_pcre(pattern, flags)
    m = rx.search(subject)
    assert (m is not None) == matches, translate(pattern)
    if m is not None and group1 is not None:
        assert m.group(1) == group1


def test_ungreedy_flag_swaps_greediness() -> None:
    m = compile_pcre(r"^(?U)(a+)").search(b"aaa")
    assert m is not None and m.group(1) == b"a"
    m = compile_pcre(r"^(?U)(a+?)").search(b"aaa")
    assert m is not None and m.group(1) == b"aaa"


@pytest.mark.parametrize("pattern", [r"a\K", r"\p{L}", r"(?R)", r"(*UTF8)a", r"\x{100}"])
def test_unmappable_constructs_raise(pattern: str) -> None:
    with pytest.raises(PcreError):
        compile_pcre(pattern)
