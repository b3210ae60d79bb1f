"""The probe-file parser, match lines and templates (pure: no sockets)."""

from __future__ import annotations

import pytest

from nse.scan.vscan.probes import ProbeFileError, parse_probe_text, unescape_probe_string

TEXT = r"""
# comment
Exclude T:9100-9102,U:30000
Probe TCP NULL q||
totalwaitms 6000
tcpwrappedms 3000
match ssh m|^SSH-([\d.]+)-OpenSSH_([\w._-]+)[ -]{1}Debian-(\S*maverick\S*)| p/OpenSSH/ v/$2 Debian $3/ i/protocol $1/ o/Linux/ cpe:/a:openbsd:openssh:$2/ cpe:/o:linux:linux_kernel/a
match ssh m|^SSH-([\d.]+)-OpenSSH_([\w._-]+)\r?\n| p/OpenSSH/ v/$2/ i/protocol $1/ cpe:/a:openbsd:openssh:$2/
softmatch ftp m|^220[- ]|
match wide m|^W:(.*)\n|s p/$P(1)/
match subst m|^S:([\w.]+)\n| v/$SUBST(1,"_",".")/
match int m|^I:(..)| v/$I(1,">")/ i/$I(1,"<")/
match cpe m|^C:(.+)\n| p/x/ cpe:/a:vendor:prod:$1/ cpe:/o:linux:linux_kernel/
match trail m|^T:(.*)\n| p/name $1, / d/router/ h/$1/
Probe TCP GetRequest q|GET / HTTP/1.0\r\n\r\n|
rarity 1
ports 80,8000-8002
sslports 443
match http m|^HTTP/1\.[01] \d\d\d .*\r\nServer: nginx/([\d.]+)|s p/nginx/ v/$1/
Probe TCP Other q|x|
rarity 8
fallback GetRequest
Probe UDP Udp q|\0\x01abc|
match dns m|^\0\x01| p/udp/
"""


def db():
    return parse_probe_text(TEXT, "t.probes")


def test_structure() -> None:
    d = db()
    assert d.null_probe is not None and d.null_probe.totalwaitms == 6000
    assert d.null_probe.tcpwrappedms == 3000
    names = [p.name for p in d.probes]
    assert names == ["GetRequest", "Other", "Udp"]
    get = d.probes[0]
    assert get.ports == {80, 8000, 8001, 8002} and get.sslports == {443} and get.rarity == 1
    assert get.payload == b"GET / HTTP/1.0\r\n\r\n"
    assert [p.name for p in d.probes[1].fallbacks] == ["Other", "GetRequest", "NULL"]
    assert [p.name for p in d.probes[2].fallbacks] == ["Udp"]  # UDP: no NULL fallback
    assert d.probes[2].payload == b"\x00\x01abc" and d.probes[2].protocol == "udp"
    assert d.is_excluded("tcp", 9101) and not d.is_excluded("udp", 9101)
    assert d.is_excluded("udp", 30000)
    assert "ssh" in d.null_probe.services and "ftp" in d.null_probe.services


def test_templates_and_cpe() -> None:
    null = db().null_probe
    assert null is not None
    r = null.test(b"SSH-2.0-OpenSSH_9.2p1\r\n")
    assert r is not None and not r.soft and r.service == "ssh"
    assert r.fields == {"product": "OpenSSH", "version": "9.2p1", "extrainfo": "protocol 2.0"}
    assert r.cpe == ["cpe:/a:openbsd:openssh:9.2p1"]
    r = null.test(b"220 hello\r\n")
    assert r is not None and r.soft and r.service == "ftp" and r.fields == {}
    r = null.test(b"W:A\x00B\x00C\x00\n")
    assert r is not None and r.fields["product"] == "ABC"  # $P keeps printable bytes
    r = null.test(b"S:1_2_3\n")
    assert r is not None and r.fields["version"] == "1.2.3"
    r = null.test(b"I:\x01\x02")
    assert r is not None and r.fields["version"] == "258" and r.fields["extrainfo"] == "513"
    r = null.test(b"C:My Prod/2\n")
    # substitutions in CPE templates are lower-cased, ' ' -> '_', reserved chars escaped;
    # the a/h/o parts come out in that order
    assert r is not None and r.cpe == ["cpe:/a:vendor:prod:my_prod%2F2", "cpe:/o:linux:linux_kernel"]
    r = null.test(b"T:abc\n")
    assert r is not None
    assert r.fields == {"product": "name abc", "devicetype": "router", "hostname": "abc"}
    assert null.test(b"nothing") is None


def test_fallback_chain_matches() -> None:
    other = db().probes[1]
    r, via = other.test_with_fallbacks(b"HTTP/1.1 200 OK\r\nServer: nginx/1.2.3\r\n\r\n")
    assert r is not None and r.service == "http" and via.name == "GetRequest"
    r, via = other.test_with_fallbacks(b"SSH-2.0-OpenSSH_8.0\n")
    assert r is not None and r.service == "ssh" and via.name == "NULL"


def test_unescape() -> None:
    assert unescape_probe_string(r"a\r\n\0\x41\\\t\|") == b"a\r\n\x00A\\\t|"


@pytest.mark.parametrize("text,line,fragment", [
    ("Probe TCP X q|a|\nports 1-\n", 2, "port"),
    ("Probe TCP X q|a|\nrarity 12\n", 2, "rarity"),
    ("Probe TCP X q|a|\nmatch x m|(unclosed| p/x/\nbogus 1\n", 3, "unknown directive"),
    ("ports 80\n", 1, "Probe"),
    ("Probe TCP X q|a|\nmatch x m|a|q p/x/\n", 2, "regex option"),
    ("Probe TCP X q|a|\nmatch x m|a| z/x/\n", 2, "template"),
    ("Probe TCP X q|a|\nmatch x m|a| p/x\n", 2, "closing"),
    ("Probe TCP X q|a\n", 1, "Probe"),
    ("Probe TCP X q|a|\nfallback Nope\n", 1, "fallback"),
    ("Probe TCP X q|a|\ntotalwaitms 5\n", 2, "totalwaitms"),
    ("Probe TCP X q|a|\nExclude 1\n", 2, "Exclude"),
    ("Probe TCP X q|a|\n\nmatch x m|a(b| p/x/\n", 3, "bad regex"),
    ("Probe TCP X q|a|\nmatch x m|a\\Kb| p/x/\n", 2, "bad regex"),
])
def test_malformed_files_give_one_line_errors(text: str, line: int, fragment: str) -> None:
    with pytest.raises(ProbeFileError) as ei:
        parse_probe_text(text, "bad.probes")
    msg = str(ei.value)
    assert "\n" not in msg
    assert msg.startswith(f"bad.probes:{line}: ")
    assert fragment.lower() in msg.lower()


def test_unmappable_regex_never_matches_and_is_reported() -> None:
    d = parse_probe_text("Probe TCP NULL q||\nmatch x m|a\\Kb| p/x/\n", "t", eager=False)
    m = d.all_matches()[0]
    assert d.null_probe is not None and d.null_probe.test(b"ab") is None
    assert m.compile() is None and m._bad is not None
