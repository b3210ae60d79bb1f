"""The host and port objects a scan produces and the script engine consumes.

These are plain Python classes on purpose: the engine wraps them (or copies their fields)
into the ``host`` and ``port`` tables NSE scripts see.  The field names follow the NSE API
("host" and "port" tables in nmap's NSE documentation) so that the mapping is one to one.

Host fields
-----------
``ip``                  the address scanned, as text (``"10.0.0.1"`` or ``"::1"``)
``name``                reverse-DNS name, or ``""`` when none was looked up / found
``targetname``          the name given on the command line, or ``None`` for a bare address
``mac_addr``            the MAC address as 6 raw bytes (learned by ARP) or ``None``
``mac_addr_next_hop``   MAC address of the next hop (same as ``mac_addr`` when directly
                        connected), or ``None``
``mac_addr_src``        our own interface MAC as 6 bytes, or ``None`` (loopback)
``directly_connected``  ``True`` when the target is on a subnet of one of our interfaces
``interface``           name of the interface packets leave by (``"eth0"``, ``"lo"``)
``interface_mtu``       MTU of that interface
``bin_ip`` / ``bin_ip_src``  the address / our source address as packed bytes
``times``               :class:`Times` (``srtt``, ``rttvar``, ``timeout``) in seconds
``up``                  host state after discovery
``reason``              why we think it is up / down (``"arp-response"``, ``"syn-ack"``,
                        ``"echo-reply"``, ``"user-set"``, ``"localhost-response"``, ...)
``ports``               dict ``(protocol, number) -> Port`` of every port scanned

Port fields
-----------
``number``    the port number (int)
``protocol``  ``"tcp"`` or ``"udp"``
``state``     ``"open"``, ``"closed"``, ``"filtered"``, ``"unfiltered"``,
              ``"open|filtered"`` or ``"closed|filtered"``
``reason``    nmap's reason string (``"syn-ack"``, ``"reset"``, ``"no-response"``,
              ``"port-unreach"``, ``"udp-response"``, ``"host-unreach"``, ...)
``reason_ttl`` TTL of the packet that gave the reason (0 when none)
``service``   the service name from the services table (``"http"``) or ``"unknown"``
``version``   dict for service detection results (``name``, ``product``, ...); empty
              after a port scan (``service`` holds the services-table name)
"""

from __future__ import annotations

import dataclasses
import itertools
import operator
from collections import Counter
from typing import Any

__all__ = ["Host", "Port", "Times", "PORT_STATES"]

#: Every port state the scanner reports, in nmap's spelling.
PORT_STATES = (
    "open",
    "closed",
    "filtered",
    "unfiltered",
    "open|filtered",
    "closed|filtered",
)


@dataclasses.dataclass
class Times:
    """Round-trip timing of one host, in seconds (``host.times`` in NSE)."""

    srtt: float | None = None
    rttvar: float | None = None
    timeout: float = 1.0


class Port:
    """One scanned port (``port`` in NSE).

    Slotted and written by hand rather than a dataclass: a full-range scan makes 65535 of
    them, and ``version`` (empty after a port scan) is created on first use instead of
    one empty dict per port (4 MB of a full-range scan)."""

    __slots__ = ("number", "protocol", "state", "reason", "reason_ttl", "service",
                 "_version")

    def __init__(self, number: int, protocol: str, state: str = "filtered",
                 reason: str = "no-response", reason_ttl: int = 0,
                 service: str = "unknown", version: dict[str, Any] | None = None) -> None:
        self.number = number
        self.protocol = protocol
        self.state = state
        self.reason = reason
        self.reason_ttl = reason_ttl
        self.service = service
        self._version = version

    @property
    def version(self) -> dict[str, Any]:
        """Service detection results (``name``, ``product``, ...); empty after a scan."""
        v = self._version
        if v is None:
            v = self._version = {}
        return v

    @version.setter
    def version(self, value: dict[str, Any]) -> None:
        self._version = value

    def _key(self) -> tuple[Any, ...]:
        return (self.number, self.protocol, self.state, self.reason, self.reason_ttl,
                self.service, self._version or {})

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaces

    def __repr__(self) -> str:
        return (f"Port(number={self.number!r}, protocol={self.protocol!r}, "
                f"state={self.state!r}, reason={self.reason!r}, "
                f"reason_ttl={self.reason_ttl!r}, service={self.service!r}, "
                f"version={self.version!r})")


_ORDER = {"tcp": 0, "udp": 1, "sctp": 2}
_PROTOCOL = operator.attrgetter("protocol")
_NUMBER = operator.attrgetter("number")
_STATE = operator.attrgetter("state")


@dataclasses.dataclass
class Host:
    """One target host (``host`` in NSE)."""

    ip: str
    targetname: str | None = None
    name: str = ""
    mac_addr: bytes | None = None
    mac_addr_next_hop: bytes | None = None
    mac_addr_src: bytes | None = None
    directly_connected: bool = False
    interface: str | None = None
    interface_mtu: int = 0
    bin_ip: bytes = b""
    bin_ip_src: bytes = b""
    times: Times = dataclasses.field(default_factory=Times)
    up: bool = False
    reason: str = ""
    reason_ttl: int = 0
    ports: dict[tuple[str, int], Port] = dataclasses.field(default_factory=dict)
    #: Seconds from the start of the scan of this host to its end (for output).
    elapsed: float = 0.0
    #: True when --host-timeout ended the scan of this host early.
    timed_out: bool = False

    @property
    def family(self) -> int:
        """4 or 6."""
        return 6 if ":" in self.ip else 4

    def port_list(self, protocol: str | None = None) -> list[Port]:
        """The scanned ports sorted by protocol (tcp first) and number."""
        # one C-level sort per protocol (a full-range scan has 65535 ports to sort)
        by_proto: dict[str, list[Port]] = {}
        for proto, group in itertools.groupby(self.ports.values(), _PROTOCOL):
            if protocol is None or proto == protocol:
                by_proto.setdefault(proto, []).extend(group)
        out: list[Port] = []
        for proto in sorted(by_proto, key=lambda p: (_ORDER.get(p, 9), p)):
            out += sorted(by_proto[proto], key=_NUMBER)
        return out

    def state_counts(self) -> Counter[str]:
        """How many ports are in each state."""
        return Counter(map(_STATE, self.ports.values()))

    def mac_text(self) -> str | None:
        """The MAC address as ``AA:BB:CC:DD:EE:FF`` or None."""
        if self.mac_addr is None:
            return None
        return ":".join(f"{b:02X}" for b in self.mac_addr)
