"""UDP probe payloads for common services (written for this project).

An empty UDP datagram gets no answer from most services, so an open port would look like
``open|filtered``.  A payload the service understands makes it answer.  Each payload is a
minimal valid request of the protocol, built here from the protocol's RFC.
"""

from __future__ import annotations

import struct

__all__ = ["udp_payload", "PAYLOAD_PORTS"]


def _dns_query() -> bytes:
    # RFC 1035 4.1: header (id, flags RD, 1 question) + question: root name, type NS, IN
    return struct.pack("!HHHHHH", 0x4E53, 0x0100, 1, 0, 0, 0) + b"\x00" + struct.pack(
        "!HH", 2, 1)


def _ber_len(n: int) -> bytes:
    return bytes([n]) if n < 0x80 else bytes([0x81, n])


def _ber(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + _ber_len(len(body)) + body


def _snmp_get(community: bytes = b"public") -> bytes:
    # RFC 1157: Message ::= SEQUENCE { version INTEGER 0, community OCTET STRING,
    # GetRequest-PDU [0] { request-id, error-status, error-index, varbinds } }
    oid = bytes([0x2B, 6, 1, 2, 1, 1, 1, 0])  # 1.3.6.1.2.1.1.1.0 sysDescr.0
    varbind = _ber(0x30, _ber(0x06, oid) + b"\x05\x00")
    pdu = _ber(0xA0, _ber(0x02, b"\x4e\x53") + _ber(0x02, b"\x00") + _ber(0x02, b"\x00")
               + _ber(0x30, varbind))
    return _ber(0x30, _ber(0x02, b"\x00") + _ber(0x04, community) + pdu)


def _ntp_request() -> bytes:
    # RFC 5905: LI 0, version 4, mode 3 (client); the rest zero
    return bytes([0x23]) + b"\x00" * 47


def _netbios_nbstat() -> bytes:
    # RFC 1002 4.2.17: NODE STATUS REQUEST for the wildcard name "*"
    name = b"CK" + b"A" * 30  # "*" then 15 NULs, first-level encoded
    return struct.pack("!HHHHHH", 0x4E53, 0, 1, 0, 0, 0) + b"\x20" + name + b"\x00" + \
        struct.pack("!HH", 0x21, 1)


def _rpc_null() -> bytes:
    # RFC 5531: CALL to portmapper (100000) v2 procedure 0, AUTH_NONE
    return struct.pack("!IIIIIIIIII", 0x4E530001, 0, 2, 100000, 2, 0, 0, 0, 0, 0)


def _ssdp() -> bytes:
    return (b"M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
            b"MAN: \"ssdp:discover\"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n")


def _tftp_rrq() -> bytes:
    # RFC 1350: RRQ "nse" in octet mode
    return b"\x00\x01nse\x00octet\x00"


_PAYLOADS: dict[int, bytes] = {
    7: b"nse-echo\r\n",
    53: _dns_query(),
    5353: _dns_query(),
    69: _tftp_rrq(),
    111: _rpc_null(),
    123: _ntp_request(),
    137: _netbios_nbstat(),
    161: _snmp_get(),
    1900: _ssdp(),
}

#: ports that have a payload
PAYLOAD_PORTS = frozenset(_PAYLOADS)


def udp_payload(port: int) -> bytes:
    """The payload to send to a UDP port (empty when we know none)."""
    return _PAYLOADS.get(port, b"")
