"""The services table: port/protocol -> service name and open frequency.

nmap's ``nmap-services`` is read at run time from the first nmap data directory that has
it, searched by the one rule of :mod:`nse.lib.datadir` (``--datadir``, ``$NMAPDIR``,
``~/.nmap``, ``/usr/share/nmap``; ``/usr/share/nmap`` is left out when ``--datadir`` or
``$NMAPDIR`` is given; see DESIGN.md "Data files").  When none has it we use our own table
below: a modest list of well-known ports written for
this project.  Its "frequency" is only a rank (higher = more common, in our judgement) so
that ``--top-ports`` and ``-F`` still mean something without nmap's data.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["ServiceTable", "load_services", "datadir_candidates"]


def datadir_candidates(datadir: str | None = None) -> list[str]:
    """The nmap data directories searched for data files, in order (existing ones and
    not; the rule is :func:`nse.lib.datadir.nmap_dirs`: no ``/usr/share/nmap`` when
    ``datadir`` or ``$NMAPDIR`` is given)."""
    from nse.lib.datadir import nmap_dirs

    return nmap_dirs(datadir, existing=False)


# Our own fallback: (name, port, protocol).  Written from general knowledge of the
# well-known ports; order inside each protocol is our idea of popularity (first = most).
_OWN_TCP = """
http 80, https 443, ssh 22, telnet 23, ftp 21, smtp 25, msrpc 135, netbios-ssn 139,
microsoft-ds 445, rdp 3389, http-alt 8080, domain 53, pop3 110, imap 143, mysql 3306,
submission 587, imaps 993, pop3s 995, pptp 1723, vnc 5900, http-proxy 3128,
ms-sql-s 1433, postgresql 5432, rpcbind 111, ldap 389, ldaps 636, smtps 465,
nntp 119, ftp-data 20, finger 79, kerberos 88, sunrpc 111, snmp 161, bgp 179,
irc 6667, redis 6379, mongodb 27017, memcache 11211, elasticsearch 9200, https-alt 8443,
xmpp-client 5222, xmpp-server 5269, sip 5060, rtsp 554, nfs 2049, docker 2375,
docker-tls 2376, kubernetes-api 6443, amqp 5672, mqtt 1883, ipp 631, printer 515,
jetdirect 9100, x11 6000, squid-http 3128, socks 1080, openvpn 1194, lpd 515,
oracle 1521, cassandra 9042, rsync 873, git 9418, zookeeper 2181, kafka 9092,
etcd 2379, consul 8500, nats 4222, ntp 123, tftp 69, whois 43, gopher 70, daytime 13,
echo 7, discard 9, chargen 19, time 37, auth 113, imap3 220, ldap-alt 3268,
winrm 5985, winrm-https 5986, afp 548, iscsi 3260, rlogin 513, rsh 514, rexec 512,
uucp 540, klogin 543, kshell 544, dhcpv6-client 546, nntps 563, dns-over-tls 853,
rsync-ssl 874, ftps 990, telnets 992, http-mgmt 8000, http-alt2 8008, http-alt3 8888,
cpanel 2082, cpanel-ssl 2083, webmin 10000, couchdb 5984, influxdb 8086, grafana 3000,
prometheus 9090, node-exporter 9100, rabbitmq-mgmt 15672, minecraft 25565
"""

_OWN_UDP = """
domain 53, snmp 161, ntp 123, netbios-ns 137, netbios-dgm 138, dhcps 67, dhcpc 68,
tftp 69, syslog 514, isakmp 500, snmptrap 162, mdns 5353, ssdp 1900, llmnr 5355,
nfs 2049, rpcbind 111, openvpn 1194, sip 5060, radius 1812, radius-acct 1813,
ipsec-nat-t 4500, l2tp 1701, memcache 11211, quic 443, kerberos 88, ldap 389,
echo 7, discard 9, daytime 13, chargen 19, time 37, bootps 67, xdmcp 177,
ms-sql-m 1434, upnp 1900, coap 5683, wireguard 51820, stun 3478, rip 520, ike 500
"""


def _parse_own(text: str, proto: str) -> dict[tuple[int, str], tuple[str, float]]:
    entries = [e.split() for e in text.replace("\n", " ").split(",") if e.strip()]
    table: dict[tuple[int, str], tuple[str, float]] = {}
    n = len(entries)
    for rank, (name, port) in enumerate(entries):
        key = (int(port), proto)
        if key not in table:
            # a rank turned into a descending pseudo-frequency
            table[key] = (name, (n - rank) / (n * 10.0))
    return table


Entry = tuple[str, float]


class _NmapServices(Mapping[tuple[int, str], Entry]):
    """nmap-services as ``(port, protocol) -> (name, frequency)``, parsed one protocol at
    a time on first use.  A scan needs one or two of its protocols; the file has ~27 000
    lines and parsing all of them line by line in Python cost ~50 ms of every scan's
    start-up, a regex over the text for one protocol ~15 ms.  Iterating the whole mapping
    parses everything (the line-by-line reference parser, :func:`_parse_nmap_services`)."""

    def __init__(self, path: str) -> None:
        with open(path, encoding="latin-1") as f:
            self._text = f.read()
        self.path = path
        self._by_proto: dict[str, dict[int, Entry]] = {}
        self._all: dict[tuple[int, str], Entry] | None = None

    @staticmethod
    def _line_pattern(proto: str) -> re.Pattern[str]:
        # name, port/proto, then optionally the frequency: the fields of one line as
        # _parse_nmap_services splits them
        return re.compile(r"^([^#\s]\S*)[ \t]+(\d+)/" + re.escape(proto)
                          + r"(?=\s|$)(?:[ \t]+([^#\s]\S*))?", re.M)

    def protocol(self, proto: str) -> dict[int, Entry]:
        """``port -> (name, frequency)`` of one protocol."""
        d = self._by_proto.get(proto)
        if d is None:
            intern = sys.intern
            d = self._by_proto[proto] = {
                int(port): (intern(name), _freq(freq))
                for name, port, freq in self._line_pattern(proto).findall(self._text)}
        return d

    def find_name(self, port: int, proto: str) -> str | None:
        """The name :meth:`protocol` gives ``port`` (the last line for it), found
        without parsing the protocol: the text is searched for ``port/proto`` in C and
        each hit checked with the line pattern (0.01-0.4 ms against 17-20 ms for
        parsing a protocol of the full file)."""
        if proto in self._by_proto:
            e = self._by_proto[proto].get(port)
            return e[0] if e else None
        text = self._text
        needle = f"{port}/{proto}"
        pat = self._line_pattern(proto)
        i = text.rfind(needle)
        while i >= 0:
            m = pat.match(text, text.rfind("\n", 0, i) + 1)
            if m is not None and m.start(2) == i and int(m.group(2)) == port:
                return sys.intern(m.group(1))
            i = text.rfind(needle, 0, i + len(needle) - 1)
        return None

    def _full(self) -> dict[tuple[int, str], Entry]:
        if self._all is None:
            self._all = _parse_text(self._text.splitlines())
        return self._all

    def __getitem__(self, key: tuple[int, str]) -> Entry:
        port, proto = key
        return self.protocol(proto)[port]

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, tuple) or len(key) != 2:
            return False
        return key[0] in self.protocol(key[1])

    def __iter__(self) -> Iterator[tuple[int, str]]:
        return iter(self._full())

    def __len__(self) -> int:
        return len(self._full())


class _LazyNames(Mapping[int, str]):
    """Port -> service name of one protocol of nmap-services, each port looked up in the
    file's text on first use (:meth:`_NmapServices.find_name`).  A full-range scan names
    only the ports its report lists; parsing the protocol (17-20 ms) is left for a
    caller that looks up many ports or iterates."""

    #: lookups after which parsing the whole protocol is cheaper
    PARSE_AFTER = 40

    def __init__(self, services: _NmapServices, proto: str) -> None:
        self._services = services
        self._proto = proto
        self._found: dict[int, str | None] = {}

    def _all(self) -> dict[int, Entry]:
        return self._services.protocol(self._proto)

    def get(self, port: int, default: Any = None) -> Any:  # type: ignore[override]
        """The name of ``port``, or ``default``."""
        found = self._found
        if port in found:
            name = found[port]
        elif len(found) >= self.PARSE_AFTER or self._proto in self._services._by_proto:
            e = self._all().get(port)
            name = e[0] if e else None
        else:
            name = found[port] = self._services.find_name(port, self._proto)
        return default if name is None else name

    def __getitem__(self, port: int) -> str:
        name = self.get(port)
        if name is None:
            raise KeyError(port)
        return str(name)

    def __contains__(self, port: object) -> bool:
        return isinstance(port, int) and self.get(port) is not None

    def __iter__(self) -> Iterator[int]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def _freq(text: str) -> float:
    if not text:
        return 0.0
    try:
        return float(text)
    except ValueError:
        return 0.0


@dataclass
class ServiceTable:
    """``(port, protocol) -> (name, frequency)`` plus where it came from."""

    entries: Mapping[tuple[int, str], Entry]
    source: str

    def _protocol(self, protocol: str) -> dict[int, Entry]:
        if isinstance(self.entries, _NmapServices):
            return self.entries.protocol(protocol)
        return {port: e for (port, proto), e in self.entries.items() if proto == protocol}

    def name(self, port: int, protocol: str) -> str:
        """Service name of a port, ``"unknown"`` when the table has none."""
        e = self.entries.get((port, protocol))
        return e[0] if e else "unknown"

    def names(self, protocol: str) -> dict[int, str]:
        """Port number -> service name for one protocol (ports without a name absent)."""
        return {port: name for port, (name, _) in self._protocol(protocol).items()}

    def name_lookup(self, protocol: str) -> Mapping[int, str]:
        """What :meth:`names` maps, for the few ports a scan lists: nmap's file is not
        parsed unless many ports are looked up (see :class:`_LazyNames`)."""
        if isinstance(self.entries, _NmapServices):
            return _LazyNames(self.entries, protocol)
        return self.names(protocol)

    def top_ports(self, n: int, protocol: str) -> list[int]:
        """The ``n`` most frequent ports of a protocol (ties broken by port number)."""
        ports = [(-freq, port) for port, (_, freq) in self._protocol(protocol).items()
                 if freq > 0]
        ports.sort()
        return [p for _, p in ports[:n]]

    def ports_named(self, pattern: str, protocol: str) -> list[int]:
        """Ports whose service name matches ``pattern`` (``*`` and ``?`` wildcards)."""
        import fnmatch

        pat = pattern.lower()
        return sorted(port for port, (name, _) in self._protocol(protocol).items()
                      if fnmatch.fnmatchcase(name.lower(), pat))


def _parse_nmap_services(path: str) -> dict[tuple[int, str], tuple[str, float]]:
    """The whole file, line by line (the reference for :class:`_NmapServices`)."""
    with open(path, encoding="latin-1") as f:
        return _parse_text(f)


def _parse_text(lines: Iterable[str]) -> dict[tuple[int, str], tuple[str, float]]:
    table: dict[tuple[int, str], tuple[str, float]] = {}
    # one string object per protocol and per distinct name (a third of the table's memory
    # was 27 000 copies of "tcp"/"udp"/"sctp")
    protos: dict[str, str] = {}
    intern = sys.intern
    for line in lines:
        if not line or line[0] == "#":
            continue
        fields = line.split()
        if len(fields) < 2:
            continue
        portproto = fields[1].split("/")
        if len(portproto) != 2 or not portproto[0].isdigit():
            continue
        try:
            freq = float(fields[2]) if len(fields) > 2 and not fields[2].startswith("#") \
                else 0.0
        except ValueError:
            freq = 0.0
        proto = protos.setdefault(portproto[1], portproto[1])
        table[(int(portproto[0]), proto)] = (intern(fields[0]), freq)
    return table


_cache: dict[object, ServiceTable] = {}


def load_services(datadir: str | None = None, use_nmap: bool = True) -> ServiceTable:
    """The services table: nmap's when found (and ``use_nmap``), else our own."""
    # the key holds $NMAPDIR too: it decides whether /usr/share/nmap is searched
    key = (datadir, os.environ.get("NMAPDIR")) if use_nmap else "\0own"
    if key in _cache:
        return _cache[key]
    table: ServiceTable | None = None
    if use_nmap:
        for d in datadir_candidates(datadir):
            path = os.path.join(d, "nmap-services")
            if os.path.isfile(path):
                try:
                    table = ServiceTable(_NmapServices(path), path)
                    break
                except OSError:
                    continue
    if table is None:
        entries = _parse_own(_OWN_TCP, "tcp")
        entries.update(_parse_own(_OWN_UDP, "udp"))
        table = ServiceTable(entries, "builtin")
    _cache[key] = table
    return table
