"""Target specifications, in nmap's syntax.

Accepted forms (nmap's "Target Specification"):

* an IPv4 address ``192.168.0.1`` or IPv6 address ``::1`` (IPv6 only with ``-6``),
* CIDR ``10.0.0.0/24`` (also ``name/24``: the name's address with the prefix applied),
  IPv6 CIDR ``fd00::/120``,
* octet ranges ``10.0.0-3.1-254``, ``10.0.0.*``, ``10.1,3.0.-9`` (an open end means 0 or 255),
* host names, resolved with the system resolver (``-n`` / ``-R`` only affect reverse DNS).

Targets expand lazily (a /8 is not materialised) and ``--exclude`` specs are tested per
address.  Every malformed spec raises one :class:`UsageError` that names it.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from nse.scan.errors import UsageError

__all__ = ["Target", "TargetSpec", "parse_target", "expand_targets", "read_target_file",
           "Excluder"]

_OCTET_ITEM = re.compile(r"^(\*|\d{1,3}|\d{1,3}-\d{0,3}|-\d{1,3})$")
_HOSTNAME_LABEL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$")
#: A spec that looks like an address attempt (digits, dots, ranges) rather than a name.
_ADDRESSY = re.compile(r"^[\d.*,\-]+$")


@dataclass(frozen=True)
class Target:
    """One address to scan, with the name it came from (``host.targetname``)."""

    ip: str
    targetname: str | None = None


@dataclass
class TargetSpec:
    """One parsed spec: a function of its expansion plus its original text."""

    text: str
    #: octet value lists for IPv4 ranges, or None
    octets: list[list[int]] | None = None
    #: a network for CIDR / single addresses, or None
    network: ipaddress.IPv4Network | ipaddress.IPv6Network | None = None
    targetname: str | None = None

    def __iter__(self) -> Iterator[Target]:
        if self.octets is not None:
            a, b, c, d = self.octets
            for x in a:
                for y in b:
                    for z in c:
                        for w in d:
                            yield Target(f"{x}.{y}.{z}.{w}", self.targetname)
            return
        assert self.network is not None
        net = self.network
        if net.num_addresses == 1:
            yield Target(str(net.network_address), self.targetname)
            return
        # nmap scans every address of a CIDR block, network and broadcast included.
        first = int(net.network_address)
        cls = type(net.network_address)
        for i in range(net.num_addresses):
            yield Target(str(cls(first + i)), self.targetname)

    def count(self) -> int:
        """Number of addresses this spec expands to."""
        if self.octets is not None:
            n = 1
            for o in self.octets:
                n *= len(o)
            return n
        assert self.network is not None
        return self.network.num_addresses

    def contains(self, ip: str) -> bool:
        """Whether ``ip`` (text) is one of the addresses of this spec."""
        try:
            addr = ipaddress.ip_address(ip.split("%")[0])
        except ValueError:
            return False
        if self.octets is not None:
            if addr.version != 4:
                return False
            return all(int(p) in o for p, o in zip(str(addr).split("."), self.octets,
                                                   strict=True))
        assert self.network is not None
        return addr in self.network


def _parse_octet_part(part: str, spec: str) -> list[int]:
    values: list[int] = []
    for item in part.split(","):
        if not _OCTET_ITEM.match(item):
            raise UsageError(f"invalid target {spec!r}: bad octet {part!r}")
        if item == "*":
            lo, hi = 0, 255
        elif "-" in item:
            a, b = item.split("-", 1)
            lo = int(a) if a else 0
            hi = int(b) if b else 255
        else:
            lo = hi = int(item)
        if lo > 255 or hi > 255:
            raise UsageError(f"invalid target {spec!r}: octet value above 255 in {part!r}")
        if lo > hi:
            raise UsageError(f"invalid target {spec!r}: reversed range {item!r}")
        values.extend(range(lo, hi + 1))
    # keep order, drop duplicates (nmap does not scan 10.0.0.1 twice for "1,1")
    return list(dict.fromkeys(values))


def _check_hostname(name: str, spec: str) -> None:
    if len(name) > 253 or name.endswith("..") or name.startswith("."):
        raise UsageError(f"invalid target {spec!r}: not a valid host name")
    labels = name.rstrip(".").split(".")
    for label in labels:
        if not _HOSTNAME_LABEL.match(label):
            raise UsageError(f"invalid target {spec!r}: not a valid host name")


def _resolve(name: str, family: int, spec: str) -> str:
    try:
        infos = socket.getaddrinfo(name, None, family, socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UsageError(f"failed to resolve {name!r}")
    if not infos:
        raise UsageError(f"failed to resolve {name!r}")
    return str(infos[0][4][0])


def parse_target(spec: str, ipv6: bool = False, resolve: bool = True) -> TargetSpec:
    """Parse one target spec (see the module docstring).  Raises :class:`UsageError`.

    ``resolve=False`` accepts host names without resolving (used for ``--exclude``,
    where nmap also compares names by address: then the name is resolved lazily).
    """
    text = spec.strip()
    if not text:
        raise UsageError("empty target specification")
    if text.startswith("-"):
        raise UsageError(f"invalid target {spec!r}: looks like an option")
    base, slash, prefix = text.partition("/")
    if slash:
        if not prefix.isdigit():
            raise UsageError(f"invalid target {spec!r}: bad CIDR prefix {prefix!r}")
        bits = int(prefix)
    # IPv6 forms
    if ":" in base:
        if not ipv6:
            raise UsageError(f"invalid target {spec!r}: IPv6 addresses need -6")
        addr_text = base.split("%")[0]
        try:
            addr = ipaddress.IPv6Address(addr_text)
        except ValueError:
            raise UsageError(f"invalid target {spec!r}: not a valid IPv6 address")
        if slash:
            if bits > 128:
                raise UsageError(f"invalid target {spec!r}: IPv6 prefix above 128")
            net: ipaddress.IPv4Network | ipaddress.IPv6Network = ipaddress.IPv6Network(
                (addr, bits), strict=False)
        else:
            net = ipaddress.IPv6Network(addr)
        return TargetSpec(text, network=net)
    if ipv6 and _ADDRESSY.match(base) and base.count(".") == 3:
        raise UsageError(f"invalid target {spec!r}: IPv4 address given with -6")
    if _ADDRESSY.match(base):
        parts = base.split(".")
        if len(parts) != 4:
            raise UsageError(f"invalid target {spec!r}: an IPv4 address has 4 octets")
        octets = [_parse_octet_part(p, spec) for p in parts]
        is_single = all(len(o) == 1 for o in octets)
        if slash:
            if not is_single:
                raise UsageError(f"invalid target {spec!r}: octet ranges with a CIDR prefix")
            if bits > 32:
                raise UsageError(f"invalid target {spec!r}: IPv4 prefix above 32")
            addr4 = ipaddress.IPv4Address(".".join(str(o[0]) for o in octets))
            return TargetSpec(text, network=ipaddress.IPv4Network((addr4, bits), strict=False))
        return TargetSpec(text, octets=octets)
    # a host name (optionally with /prefix)
    _check_hostname(base, spec)
    if not resolve:
        return TargetSpec(text, targetname=base)
    family = socket.AF_INET6 if ipv6 else socket.AF_INET
    ip = _resolve(base, family, spec)
    maxbits = 128 if ipv6 else 32
    if slash and bits > maxbits:
        raise UsageError(f"invalid target {spec!r}: prefix above {maxbits}")
    net = ipaddress.ip_network((ip, bits if slash else maxbits), strict=False)
    return TargetSpec(text, network=net, targetname=base)


def read_target_file(path: str) -> list[str]:
    """Target specs of an ``-iL`` / ``--excludefile`` file: whitespace separated, ``#``
    starts a comment.  ``-`` reads standard input."""
    import sys

    try:
        if path == "-":
            data = sys.stdin.read()
        else:
            with open(path, encoding="utf-8", errors="replace") as f:
                data = f.read()
    except OSError as e:
        raise UsageError(f"cannot read target file {path!r}: {e.strerror}")
    specs: list[str] = []
    for line in data.splitlines():
        line = line.split("#", 1)[0]
        specs.extend(line.split())
    return specs


class Excluder:
    """The ``--exclude`` / ``--excludefile`` set."""

    def __init__(self, specs: Iterable[str], ipv6: bool = False) -> None:
        self.specs: list[TargetSpec] = []
        for s in specs:
            for piece in s.split(","):
                if piece:
                    self.specs.append(parse_target(piece, ipv6=ipv6))

    def excluded(self, ip: str) -> bool:
        """True when ``ip`` matches one of the exclude specs."""
        return any(s.contains(ip) for s in self.specs)


def expand_targets(specs: Iterable[str], ipv6: bool = False,
                   exclude: Excluder | None = None) -> Iterator[Target]:
    """All target addresses in order, without the excluded ones.

    Every spec is parsed before the first address is yielded, so a bad spec anywhere on
    the command line is reported before scanning starts (as nmap does).
    """
    parsed = [parse_target(s, ipv6=ipv6) for s in specs]
    for spec in parsed:
        for t in spec:
            if exclude is not None and exclude.excluded(t.ip):
                continue
            yield t
