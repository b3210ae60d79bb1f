"""dns-recursion, dns-nsid: ours against nmap's on a fake name server (answers built
with dnspython, independently of our dns library)."""

from __future__ import annotations

import struct

import pytest

from . import fakes
from .harness import HAVE_NMAP, outputs

dns_message = pytest.importorskip("dns.message")
import dns.edns  # noqa: E402
import dns.flags  # noqa: E402
import dns.rcode  # noqa: E402
import dns.rrset  # noqa: E402

nmap = pytest.mark.skipif(not HAVE_NMAP, reason="nmap not installed")


def name_server(*, recursion: bool = True, nsid: bytes | None = b"ns1.fake",
                id_server: str | None = "ns1.fake", version: str | None = "9.18.16-fake",
                refuse: bool = False):
    def answer(data: bytes) -> bytes | None:
        q = dns_message.from_wire(data)
        r = dns_message.make_response(q, recursion_available=recursion)
        if refuse:
            r.set_rcode(dns.rcode.REFUSED)
            return r.to_wire()
        qname = q.question[0].name.to_text()
        if qname == "id.server." and id_server is not None:
            r.answer.append(dns.rrset.from_text("id.server.", 0, "CH", "TXT",
                                                f'"{id_server}"'))
        elif qname == "version.bind." and version is not None:
            r.answer.append(dns.rrset.from_text("version.bind.", 0, "CH", "TXT",
                                                f'"{version}"'))
        elif qname == "www.wikipedia.org.":
            if recursion:
                r.answer.append(dns.rrset.from_text(qname, 300, "IN", "A", "192.0.2.7"))
            else:
                r.set_rcode(dns.rcode.REFUSED)
        if q.edns >= 0:
            opts = []
            if nsid is not None and any(o.otype == dns.edns.NSID for o in q.options):
                opts = [dns.edns.GenericOption(dns.edns.NSID, nsid)]
            r.use_edns(0, q.ednsflags, 1232, options=opts)
        return r.to_wire()

    return answer


@nmap
@pytest.mark.nmap
@pytest.mark.parametrize("recursion", [True, False], ids=["open", "closed"])
def test_dns_recursion(recursion: bool) -> None:
    with fakes.udp(name_server(recursion=recursion)) as port:
        want, lua, twin = outputs("dns-recursion", port, "domain", proto="udp", force=True)
    assert bool(want) == recursion
    assert lua == want
    assert twin == lua


NSID_CASES = [
    pytest.param("all", {}, id="all"),
    pytest.param("no-nsid", {"nsid": None}, id="no-nsid"),
    # unprintable bytes: nmap's output escapes them as \xHH
    pytest.param("binary-nsid", {"nsid": b"\x01\xffbox"}, id="binary-nsid"),
    pytest.param("version-only", {"nsid": None, "id_server": None}, id="version-only"),
    pytest.param("refused", {"refuse": True}, id="refused"),
]


@nmap
@pytest.mark.nmap
@pytest.mark.parametrize("case,kw", NSID_CASES)
def test_dns_nsid(case: str, kw: dict[str, object]) -> None:
    with fakes.udp(name_server(**kw)) as port:  # type: ignore[arg-type]
        want, lua, twin = outputs("dns-nsid", port, "domain", proto="udp")
    assert want or case == "refused"
    assert lua == want
    assert twin == lua


def test_dns_nsid_over_tcp() -> None:
    """The TCP framing (RFC 1035 4.2.2); nmap is not asked (its portrule skips TCP when
    the UDP port is open, which it cannot know here either)."""
    srv = name_server()

    def serve(c: fakes.Conn) -> None:
        while True:
            head = c.recv_exact(2)
            if len(head) < 2:
                return
            reply = srv(c.recv_exact(struct.unpack(">H", head)[0]))
            assert reply is not None
            c.send(struct.pack(">H", len(reply)) + reply)

    from .harness import our_block

    with fakes.tcp(serve) as port:
        got = our_block("scripts_lua/dns-nsid.nse", port, "domain")
    assert got == ("| dns-nsid: \n|   NSID: ns1.fake (6e73312e66616b65)\n"
                   "|   id.server: ns1.fake\n|_  bind.version: 9.18.16-fake")
