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
``ports``               dict ``(protocol, number) -> Port`` of every port scanned (a
                        :class:`PortTable`: a dict whose bulk of like ports is kept
                        compact until read, see there)

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
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

__all__ = ["Host", "Port", "PortTable", "Times", "PORT_STATES"]

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


#: (state, reason, reason_ttl) of a port stored compactly in a :class:`PortTable`
Kind = tuple[str, str, int]
PortKey = tuple[str, int]


class _Bulk:
    """The compactly stored ports of one protocol: ``codes[number]`` is 0 (not here) or
    ``k + 1`` for ``kinds[k]``.  Counts are not kept: ``bytearray.count`` finds them in
    C when asked (microseconds), which leaves one byte store per stored port."""

    __slots__ = ("codes", "kinds", "index", "names")

    #: codes are bytes; 0 means "not here"
    MAX_KINDS = 255

    def __init__(self, names: Mapping[int, str]) -> None:
        self.codes = bytearray()
        self.kinds: list[Kind] = []
        self.index: dict[Kind, int] = {}
        self.names = names

    def code_of(self, kind: Kind) -> int:
        """The code of ``kind``, added if new; 0 when every code is taken."""
        c = self.index.get(kind)
        if c is None:
            if len(self.kinds) >= self.MAX_KINDS:
                return 0
            self.kinds.append(kind)
            c = self.index[kind] = len(self.kinds)
        return c

    def total(self) -> int:
        return len(self.codes) - self.codes.count(0)

    def count(self, code: int) -> int:
        return self.codes.count(code)

    def numbers(self, code: int) -> Iterator[int]:
        """The port numbers stored with ``code``, ascending (found in C by
        ``bytearray.find``: the Python loop runs once per port, not per byte)."""
        codes = self.codes
        needle = bytes((code,))
        i = codes.find(needle)
        while i >= 0:
            yield i
            i = codes.find(needle, i + 1)


class PortTable(dict):  # type: ignore[type-arg]
    """``Host.ports``: a dict ``(protocol, number) -> Port`` that keeps the bulk of a
    large scan compact.

    A full-range scan answers 65535 ports, nearly all alike ("closed, reset, ttl 64"). The
    scan drivers store such results with :meth:`set_many` / :meth:`set_state` as one byte
    per port number (the index of its ``(state, reason, reason_ttl)``) instead of a
    ``Port`` object and a key tuple each (~200 bytes and ~1 µs per port to make and free).
    Reading the table makes the objects: a key looked up, or every port on a whole-table
    operation (iteration, ``values()``, ``items()``, ``==``, ...), is turned into a
    ``Port`` stored in the dict itself, so it stays the same object and changes made to
    it are kept; from then on the table is a plain dict.  It is a dict subclass so that
    code checking ``isinstance(ports, dict)`` and dict's own C paths (``dict(t)``,
    ``{**t}``, which follow an overridden ``__iter__``) see every port.

    :meth:`counts` and :meth:`select` answer the questions of a report ("how many closed
    ports, for which reasons", "the ports not summarised") while making objects only for
    the ports they return.
    """

    __slots__ = ("_bulk",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._bulk: dict[str, _Bulk] = {}

    # -- writing compactly (the scan drivers) --------------------------------------------
    def _bulk_of(self, protocol: str, names: Mapping[int, str]) -> _Bulk:
        b = self._bulk.get(protocol)
        if b is None:
            b = self._bulk[protocol] = _Bulk(names)
        else:
            b.names = names
        return b

    def set_many(self, protocol: str, results: Iterable[tuple[int, Kind]],
                 names: Mapping[int, str]) -> None:
        """Store ``(number, (state, reason, reason_ttl))`` results of ``protocol``,
        replacing what those ports had; ``names`` maps port numbers to service names
        (``"unknown"`` when missing) for the ``Port`` objects made later."""
        b = self._bulk_of(protocol, names)
        codes = b.codes
        code_of = b.code_of
        has_objects = dict.__len__(self) > 0
        # the drivers pass one shared tuple per common result: most lookups are this
        last_kind: Kind | None = None
        c = 0
        for number, kind in results:
            if kind is not last_kind:
                c = code_of(kind)
                last_kind = kind
            if not c or not 0 <= number <= 65535:
                # out of codes (or not a port number): an object
                self[(protocol, number)] = Port(number, protocol, kind[0], kind[1], kind[2],
                                                names.get(number, "unknown"))
                has_objects = True
                continue
            if has_objects:
                dict.pop(self, (protocol, number), None)
            try:
                codes[number] = c
            except IndexError:
                codes.extend(bytes(number + 1 - len(codes)))
                codes[number] = c

    def set_state(self, protocol: str, number: int, state: str, reason: str, ttl: int,
                  names: Mapping[int, str]) -> None:
        """:meth:`set_many` for one port."""
        self.set_many(protocol, ((number, (state, reason, ttl)),), names)

    # -- making objects --------------------------------------------------------------------
    def _take(self, key: object) -> Port | None:
        """The compactly stored port ``key`` as a ``Port`` moved into the dict, or None."""
        if not self._bulk or type(key) is not tuple or len(key) != 2:
            return None
        protocol, number = key
        b = self._bulk.get(protocol)  # type: ignore[call-overload]
        if b is None or type(number) is not int or not 0 <= number < len(b.codes):
            return None
        c = b.codes[number]
        if not c:
            return None
        b.codes[number] = 0
        state, reason, ttl = b.kinds[c - 1]
        p = Port(number, protocol, state, reason, ttl, b.names.get(number, "unknown"))
        dict.__setitem__(self, key, p)
        return p

    def _materialize(self) -> None:
        """Every compactly stored port as a ``Port`` in the dict (tcp, udp, ... in the
        order first stored; numbers ascending)."""
        if not self._bulk:
            return
        bulk = self._bulk
        self._bulk = {}
        put = dict.__setitem__
        for protocol, b in bulk.items():
            kinds = b.kinds
            names = b.names
            for number, c in enumerate(b.codes):
                if c:
                    state, reason, ttl = kinds[c - 1]
                    put(self, (protocol, number),
                        Port(number, protocol, state, reason, ttl,
                             names.get(number, "unknown")))

    # -- reading without making every object --------------------------------------------
    def counts(self) -> dict[tuple[str, str, str], list[int]]:
        """``(protocol, state, reason) -> [number of ports, lowest port number]``."""
        out: dict[tuple[str, str, str], list[int]] = {}
        for p in dict.values(self):
            k = (p.protocol, p.state, p.reason)
            cur = out.get(k)
            if cur is None:
                out[k] = [1, p.number]
            else:
                cur[0] += 1
                if p.number < cur[1]:
                    cur[1] = p.number
        for protocol, b in self._bulk.items():
            for c, (state, reason, _ttl) in enumerate(b.kinds, 1):
                n = b.count(c)
                if not n:
                    continue
                first = b.codes.find(bytes((c,)))
                k = (protocol, state, reason)
                cur = out.get(k)
                if cur is None:
                    out[k] = [n, first]
                else:
                    cur[0] += n
                    cur[1] = min(cur[1], first)
        return out

    def select(self, keep: Callable[[str, str], bool]) -> list[Port]:
        """The ports whose ``keep(protocol, state)`` is true, sorted by protocol (tcp,
        udp, sctp) and number; only those are made objects."""
        for protocol, b in list(self._bulk.items()):
            for c, kind in enumerate(b.kinds, 1):
                if keep(protocol, kind[0]) and b.count(c):
                    for number in list(b.numbers(c)):
                        self._take((protocol, number))
        return _sorted_ports(p for p in dict.values(self) if keep(p.protocol, p.state))

    # -- dict API: one key ---------------------------------------------------------------
    def __getitem__(self, key: PortKey) -> Port:
        try:
            return dict.__getitem__(self, key)  # type: ignore[no-any-return]
        except KeyError:
            p = self._take(key)
            if p is None:
                raise
            return p

    def __setitem__(self, key: PortKey, value: Port) -> None:
        self._take(key)
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: PortKey) -> None:
        self._take(key)
        dict.__delitem__(self, key)

    def __contains__(self, key: object) -> bool:
        if dict.__contains__(self, key):
            return True
        return self._take(key) is not None

    def get(self, key: PortKey, default: Any = None) -> Any:
        """As dict.get."""
        if dict.__contains__(self, key) or self._take(key) is not None:
            return dict.__getitem__(self, key)
        return default

    def setdefault(self, key: PortKey, default: Any = None) -> Any:
        """As dict.setdefault."""
        self._take(key)
        return dict.setdefault(self, key, default)

    def pop(self, key: PortKey, *default: Any) -> Any:
        """As dict.pop."""
        self._take(key)
        return dict.pop(self, key, *default)

    def __len__(self) -> int:
        n = dict.__len__(self)
        for b in self._bulk.values():
            n += b.total()
        return n

    # -- dict API: the whole table (objects made first) ------------------------------------
    def __iter__(self) -> Iterator[PortKey]:
        self._materialize()
        return dict.__iter__(self)

    def __reversed__(self) -> Iterator[PortKey]:
        self._materialize()
        return dict.__reversed__(self)

    def keys(self) -> Any:
        """As dict.keys (every port made an object first)."""
        self._materialize()
        return dict.keys(self)

    def values(self) -> Any:
        """As dict.values (every port made an object first)."""
        self._materialize()
        return dict.values(self)

    def items(self) -> Any:
        """As dict.items (every port made an object first)."""
        self._materialize()
        return dict.items(self)

    def popitem(self) -> tuple[PortKey, Port]:
        """As dict.popitem."""
        self._materialize()
        return dict.popitem(self)  # type: ignore[no-any-return]

    def clear(self) -> None:
        """As dict.clear."""
        self._bulk = {}
        dict.clear(self)

    def copy(self) -> PortTable:
        """A new table with the same ``Port`` objects."""
        self._materialize()
        return PortTable(dict.items(self))

    def update(self, *args: Any, **kwargs: Any) -> None:
        """As dict.update."""
        for k, v in dict(*args, **kwargs).items():
            self[k] = v

    def __eq__(self, other: object) -> bool:
        self._materialize()
        if isinstance(other, PortTable):
            other._materialize()
        return dict.__eq__(self, other)  # type: ignore[no-any-return]

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = None  # type: ignore[assignment]

    def __or__(self, other: Any) -> Any:
        self._materialize()
        if isinstance(other, PortTable):
            other._materialize()
        return PortTable(dict.__or__(self, other))

    def __ror__(self, other: Any) -> Any:
        self._materialize()
        return dict.__ror__(self, other)

    def __ior__(self, other: Any) -> PortTable:
        self.update(other)
        return self

    def __repr__(self) -> str:
        self._materialize()
        return f"PortTable({dict.__repr__(self)})"

    def __reduce__(self) -> tuple[Any, ...]:
        self._materialize()
        return (PortTable, (dict(dict.items(self)),))


_ORDER = {"tcp": 0, "udp": 1, "sctp": 2}
_PROTOCOL = operator.attrgetter("protocol")
_NUMBER = operator.attrgetter("number")
_STATE = operator.attrgetter("state")


def _sorted_ports(ports: Iterable[Port], protocol: str | None = None) -> list[Port]:
    """``ports`` sorted by protocol (tcp first) and number (one C-level sort per
    protocol: a full-range scan has 65535 ports to sort)."""
    by_proto: dict[str, list[Port]] = {}
    for proto, group in itertools.groupby(ports, _PROTOCOL):
        if protocol is None or proto == protocol:
            by_proto.setdefault(proto, []).extend(group)
    out: list[Port] = []
    for proto in sorted(by_proto, key=lambda p: (_ORDER.get(p, 9), p)):
        out += sorted(by_proto[proto], key=_NUMBER)
    return out


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
    ports: dict[tuple[str, int], Port] = dataclasses.field(default_factory=PortTable)
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
        return _sorted_ports(self.ports.values(), protocol)

    def select_ports(self, keep: Callable[[str, str], bool]) -> list[Port]:
        """The ports whose ``keep(protocol, state)`` is true, sorted as
        :meth:`port_list`; the other ports of a :class:`PortTable` stay compact."""
        ports = self.ports
        if isinstance(ports, PortTable):
            return ports.select(keep)
        return _sorted_ports(p for p in ports.values() if keep(p.protocol, p.state))

    def port_counts(self) -> dict[tuple[str, str, str], list[int]]:
        """``(protocol, state, reason) -> [number of ports, lowest port number]``
        (without making the objects of a :class:`PortTable`)."""
        ports = self.ports
        if isinstance(ports, PortTable):
            return ports.counts()
        return PortTable(ports).counts()

    def state_counts(self) -> Counter[str]:
        """How many ports are in each state."""
        out: Counter[str] = Counter()
        for (_proto, state, _reason), (n, _first) in self.port_counts().items():
            out[state] += n
        return out

    def mac_text(self) -> str | None:
        """The MAC address as ``AA:BB:CC:DD:EE:FF`` or None."""
        if self.mac_addr is None:
            return None
        return ":".join(f"{b:02X}" for b in self.mac_addr)
