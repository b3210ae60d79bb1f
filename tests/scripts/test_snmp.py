"""snmp-sysdescr against nmap's on a fake SNMP agent; the snmp library's BER against
hand-assembled bytes (X.690)."""

from __future__ import annotations

import pytest

from nse.lib import snmp
from nse.lua.luatable import LuaTable

from . import fakes
from .harness import HAVE_NMAP, outputs

nmap = pytest.mark.skipif(not HAVE_NMAP, reason="nmap not installed")

DESCR_OID = bytes.fromhex("2b06010201010100")
UPTIME_OID = bytes.fromhex("2b06010201010300")


def tlv(tag: int, body: bytes) -> bytes:
    assert len(body) < 128
    return bytes([tag, len(body)]) + body


def ber_unsigned(n: int) -> bytes:
    """X.690 8.3: two's complement, so a set high bit needs a leading zero byte."""
    return n.to_bytes((n.bit_length() + 8) // 8, "big")


def response(req: bytes, community: bytes, oid: bytes, value: bytes) -> bytes:
    # the request id sits right after the PDU header: find it as "02 LL id"
    i = req.index(b"\xa0") + 2
    req_id = req[i:i + 2 + req[i + 1]]
    vb = tlv(0x30, tlv(0x30, tlv(0x06, oid) + value))
    pdu = tlv(0xA2, req_id + b"\x02\x01\x00\x02\x01\x00" + vb)
    return tlv(0x30, b"\x02\x01\x00" + tlv(0x04, community) + pdu)


def agent(descr: bytes | None = b"Linux fakebox 6.1.0-9-amd64 #1 SMP x86_64",
          ticks: int | None = 18504567, community: bytes = b"public"):
    def answer(data: bytes) -> bytes | None:
        if tlv(0x04, community) not in data:
            return None  # wrong community: agents stay silent
        if DESCR_OID in data and descr is not None:
            return response(data, community, DESCR_OID, tlv(0x04, descr))
        if UPTIME_OID in data and ticks is not None:
            return response(data, community, UPTIME_OID,
                            tlv(0x43, ber_unsigned(ticks)))
        return None

    return answer


@nmap
@pytest.mark.nmap
@pytest.mark.parametrize("ticks", [18504567, 4294967295, 99], ids=["days", "max", "small"])
def test_snmp_sysdescr(ticks: int) -> None:
    with fakes.udp(agent(ticks=ticks)) as port:
        want, lua, twin = outputs("snmp-sysdescr", port, "snmp", proto="udp")
    assert want.startswith("| snmp-sysdescr: Linux fakebox")
    assert lua == want
    assert twin == lua


@nmap
@pytest.mark.nmap
def test_snmp_sysdescr_community_arg() -> None:
    with fakes.udp(agent(community=b"s3cret")) as port:
        want, lua, twin = outputs("snmp-sysdescr", port, "snmp", proto="udp",
                                  args="creds.global=:s3cret")
    assert want.startswith("| snmp-sysdescr: Linux fakebox")
    assert lua == want
    assert twin == lua


def test_get_request_bytes() -> None:
    pkt = snmp.buildPacket(snmp.buildGetRequest(LuaTable.from_dict({"reqId": 28428}),
                                                "1.3.6.1.2.1.1.1.0"), 0, "public")
    want = tlv(0x30, b"\x02\x01\x00" + tlv(0x04, b"public") + tlv(
        0xA0, b"\x02\x02\x6f\x0c\x02\x01\x00\x02\x01\x00"
        + tlv(0x30, tlv(0x30, tlv(0x06, DESCR_OID) + b"\x05\x00"))))
    assert snmp.encode(pkt).encode("latin-1") == want


def test_decode_values() -> None:
    data = response(b"\xa0\x00\x02\x01\x07", b"public", UPTIME_OID,
                    tlv(0x43, b"\x01\x1a\x5c\x77")).decode("latin-1")
    vals = snmp.fetchResponseValues(data)
    assert vals[1][1] == 0x011A5C77
    assert vals[1][2] == "1.3.6.1.2.1.1.3.0"
    assert snmp.decode("\x02\x01\xff") == (-1, 4)
    # a length running past the data is not decoded
    assert snmp.decode("\x04\x05ab")[0] is None
