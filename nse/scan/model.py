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
from collections import Counter

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


@dataclasses.dataclass(slots=True)
class Port:
    """One scanned port (``port`` in NSE).  Slotted: a full-range scan makes 65535."""

    number: int
    protocol: str
    state: str = "filtered"
    reason: str = "no-response"
    reason_ttl: int = 0
    service: str = "unknown"
    version: dict[str, str] = dataclasses.field(default_factory=dict)


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
        order = {"tcp": 0, "udp": 1, "sctp": 2}
        ports = [p for p in self.ports.values() if protocol is None or p.protocol == protocol]
        return sorted(ports, key=lambda p: (order.get(p.protocol, 9), p.number))

    def state_counts(self) -> Counter[str]:
        """How many ports are in each state."""
        return Counter(p.state for p in self.ports.values())

    def mac_text(self) -> str | None:
        """The MAC address as ``AA:BB:CC:DD:EE:FF`` or None."""
        if self.mac_addr is None:
            return None
        return ":".join(f"{b:02X}" for b in self.mac_addr)
