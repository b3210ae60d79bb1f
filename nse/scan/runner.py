"""The scan pipeline: targets -> host groups -> discovery -> port scans -> Host objects."""

from __future__ import annotations

import dataclasses
import errno
import random
import socket
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from nse.output.packettrace import Tracer
from nse.scan import netinfo, rawio
from nse.scan.connect import ConnectDriver, fd_budget
from nse.scan.discovery import DEFAULT_PROBES, DiscoveryDriver
from nse.scan.errors import ScanError, UsageError
from nse.scan.model import Host, Times
from nse.scan.options import ScanOptions
from nse.scan.ports import PortSet, parse_port_spec, select_ports
from nse.scan.portscan import TcpScanDriver, UdpScanDriver
from nse.scan.rawio import ArpIO, RawIO
from nse.scan.services import ServiceTable, load_services
from nse.scan.targets import (
    Excluder,
    Target,
    expand_targets,
    parse_target,
    read_target_file,
)
from nse.scan.timing import CongestionParams, RttEstimator
from nse.scan.ultra import HostState, Stats, UltraScan

__all__ = ["ScanResult", "run_scan", "resolve_plan", "ScanPlan", "PHASE_NAMES",
           "PhaseCallback"]

#: on_phase(event "start"/"end", phase name, engine host states, hosts)
PhaseCallback = Callable[[str, str, list[HostState], list[Host]], None]

#: nmap's names of the port scan phases ("Initiating SYN Stealth Scan", "Stats: ...")
PHASE_NAMES = {"syn": "SYN Stealth Scan", "connect": "Connect Scan", "ack": "ACK Scan",
               "fin": "FIN Scan", "null": "NULL Scan", "xmas": "XMAS Scan",
               "udp": "UDP Scan"}


def _no_phase(event: str, name: str, states: list[HostState], hosts: list[Host]) -> None:
    pass


@dataclass
class ScanPlan:
    """What will be done, decided from the options before any packet is sent."""

    privileged: bool
    tcp_scan: str | None  # "syn", "connect", "ack", "fin", "null", "xmas" or None
    udp: bool
    ports: PortSet | None
    notices: list[str] = field(default_factory=list)


@dataclass
class ScanResult:
    """Everything a scan found, for output writers and the script engine."""

    hosts: list[Host]
    stats: Stats
    started: float  # wall clock (time.time()) at start
    elapsed: float
    plan: ScanPlan
    services: ServiceTable
    #: target names that could not be resolved (skipped with a warning, as nmap does)
    unresolved: list[str] = field(default_factory=list)


def resolve_plan(o: ScanOptions, services: ServiceTable) -> ScanPlan:
    """Decide privileges, scan types and ports.  Raises UsageError / ScanError."""
    privileged = o.privileged if o.privileged is not None else netinfo.can_raw()
    notices: list[str] = []
    tcp = [s for s in o.scan_types if s != "udp"]
    udp = "udp" in o.scan_types
    tcp_scan: str | None = tcp[0] if tcp else None
    if o.privileged and not netinfo.can_raw():
        raise ScanError("--privileged given but raw sockets cannot be opened")
    if o.ping_only:
        return ScanPlan(privileged, None, False, None, notices)
    if not o.scan_types:
        if o.ipv6:
            tcp_scan = "connect"
        elif privileged:
            tcp_scan = "syn"
        else:
            tcp_scan = "connect"
            notices.append("Not running as root: using a TCP connect scan (-sT) "
                           "instead of a SYN scan.")
    raw_needed = (tcp_scan not in (None, "connect")) or udp
    if raw_needed and not privileged:
        kind = "-sU" if udp and tcp_scan in (None, "connect") else f"-s{tcp_scan[0].upper()}" \
            if tcp_scan else "-sU"
        raise ScanError(f"the scan type {kind} needs root privileges (raw sockets); "
                        "use -sT, or run as root")
    protocols = tuple(p for p, on in (("tcp", tcp_scan is not None), ("udp", udp)) if on)
    ports = select_ports(services, protocols, o.ports, o.top_ports, o.fast, o.exclude_ports,
                         o.sequential_ports)
    return ScanPlan(privileged, tcp_scan, udp, ports, notices)


def _resolvable(specs: list[str], o: ScanOptions, log: Callable[[str], None],
                unresolved: list[str]) -> list[str]:
    """The specs without host names that do not resolve: nmap warns ``Failed to resolve
    "name".`` and scans the others, so one bad name does not lose the whole scan."""
    kept = []
    for spec in specs:
        try:
            parse_target(spec, ipv6=o.ipv6)
        except UsageError as e:
            if not str(e).startswith("failed to resolve"):
                raise
            log(f'Failed to resolve "{spec}".')
            unresolved.append(spec)
            continue
        kept.append(spec)
    return kept


def _all_targets(o: ScanOptions, log: Callable[[str], None] = lambda s: None,
                 unresolved: list[str] | None = None) -> Iterator[Target]:
    specs = list(o.targets)
    if o.input_file:
        specs += read_target_file(o.input_file)
    if unresolved is not None:
        specs = _resolvable(specs, o, log, unresolved)
        if not specs and unresolved:
            return iter(())  # "No targets were specified" as in nmap
    excl_specs = list(o.exclude)
    if o.exclude_file:
        excl_specs += read_target_file(o.exclude_file)
    excluder = Excluder(excl_specs, ipv6=o.ipv6) if excl_specs else None
    if not specs:
        if o.scripts:  # a pre-/post-scan-only script run (nmap --script broadcast-...)
            return iter(())
        raise UsageError("no targets specified")
    return expand_targets(specs, ipv6=o.ipv6, exclude=excluder)


class CountingRawIO(RawIO):
    """The raw sockets, counting every IPv4 packet and byte that really went out and
    came in (``Stats.raw_*``): nmap's "Raw packets sent: N (XB) | Rcvd: N (YB)" line
    and the ``-d`` sending rates.  Counted at the I/O layer so batched sends and the
    in-place receive path are counted as they are on the wire.  "Rcvd" is every packet
    the capture socket delivered (its filter passes replies to our probes), as nmap
    counts every packet its pcap filter passed."""

    #: None while the base class drains the packets queued before its filter
    stats: Stats | None = None
    _counting_chunks = False

    def __init__(self, stats: Stats) -> None:
        super().__init__()
        self.stats = stats

    def send(self, packet: bytes, dst: str) -> bool:
        ok = super().send(packet, dst)
        if ok and self.stats is not None:
            self.stats.raw_sent += 1
            self.stats.raw_sent_bytes += len(packet)
        return ok

    def send_batch(self, b: Any, count: int, length: int, dst: str) -> int:
        n = super().send_batch(b, count, length, dst)
        if self.stats is not None:
            self.stats.raw_sent += n
            self.stats.raw_sent_bytes += n * length
        return n

    def recv_all(self, limit: int = 4096) -> list[bytes]:
        got = super().recv_all(limit)
        if self.stats is not None and not self._counting_chunks:
            self.stats.raw_rcvd += len(got)
            self.stats.raw_rcvd_bytes += sum(map(len, got))
        return got

    def recv_chunks(self, limit: int = 4096) -> Iterator[tuple[Any, list[int]]]:
        """RawIO.recv_chunks, each chunk counted once (its fallback goes through
        recv_all, which then does not count)."""
        self._counting_chunks = True
        try:
            for view, lens in super().recv_chunks(limit):  # type: ignore[misc]
                if self.stats is not None:
                    self.stats.raw_rcvd += len(lens)
                    self.stats.raw_rcvd_bytes += sum(lens)
                yield view, lens
        finally:
            self._counting_chunks = False


def _arp_size(frame: bytes) -> int:
    """The size of the ARP packet in an Ethernet frame (8 bytes of header, then two
    hardware and two protocol addresses; the frame's padding is not part of it).  nmap
    counts ARP probes and replies by this size too (28 bytes for IPv4 over Ethernet)."""
    if len(frame) < 22:
        return max(0, len(frame) - 14)
    return min(len(frame) - 14, 8 + 2 * (frame[18] + frame[19]))


class CountingArpIO(ArpIO):
    """ARP discovery, counting the ARP packets sent and received into ``stats``."""

    def __init__(self, interface: str, stats: Stats) -> None:
        super().__init__(interface)
        self.stats = stats

    def send(self, frame: bytes) -> bool:
        ok = super().send(frame)
        if ok:
            self.stats.raw_sent += 1
            self.stats.raw_sent_bytes += _arp_size(frame)
        return ok

    def recv_all(self, limit: int = 4096) -> list[bytes]:
        got = super().recv_all(limit)
        self.stats.raw_rcvd += len(got)
        self.stats.raw_rcvd_bytes += sum(_arp_size(f) for f in got)
        return got


class TracingRawIO(CountingRawIO):
    """--packet-trace: the raw sockets, printing every IPv4 packet sent and received.
    Wrapping the I/O layer (not the drivers) shows the packets as they are on the wire,
    batched sends (sendmmsg) included."""

    def __init__(self, tracer: Tracer, stats: Stats) -> None:
        super().__init__(stats)
        self.tracer = tracer

    def send(self, packet: bytes, dst: str) -> bool:
        ok = super().send(packet, dst)
        if ok:
            self.tracer.sent(packet)
        return ok

    def send_batch(self, b: Any, count: int, length: int, dst: str) -> int:
        n = super().send_batch(b, count, length, dst)
        for i in range(n):
            off = i * b.slot
            self.tracer.sent(bytes(b.view[off:off + length]))
        return n

    def recv_all(self, limit: int = 4096) -> list[bytes]:
        got = super().recv_all(limit)
        tracer = getattr(self, "tracer", None)  # None while the base class drains
        if tracer is not None and not self._in_chunks:
            for pkt in got:
                tracer.rcvd(pkt)
        return got

    _in_chunks = False

    def recv_chunks(self, limit: int = 4096) -> Iterator[tuple[Any, list[int]]]:
        """The in-place receive path (RawIO.recv_chunks, where the I/O layer has it):
        every packet of a chunk traced before the driver reads it."""
        slot = getattr(rawio, "RECV_SLOT", 2048)
        self._in_chunks = True  # its fallback goes through recv_all: trace once
        try:
            for view, lens in super().recv_chunks(limit):  # type: ignore[misc]
                for i, ln in enumerate(lens):
                    self.tracer.rcvd(bytes(view[i * slot:i * slot + ln]))
                yield view, lens
        finally:
            self._in_chunks = False


class TracingArpIO(CountingArpIO):
    """--packet-trace for ARP discovery."""

    def __init__(self, interface: str, tracer: Tracer, stats: Stats) -> None:
        super().__init__(interface, stats)
        self.tracer = tracer

    def send(self, frame: bytes) -> bool:
        ok = super().send(frame)
        if ok:
            self.tracer.arp("SENT", frame)
        return ok

    def recv_all(self, limit: int = 4096) -> list[bytes]:
        got = super().recv_all(limit)
        for frame in got:
            self.tracer.arp("RCVD", frame)
        return got


class TracingConnectDriver(ConnectDriver):
    """--packet-trace for connect scans: nmap's CONN lines, one when connect() is
    called (its immediate outcome, usually "Operation now in progress") and one when a
    pending connection completes or is refused."""

    def __init__(self, services: ServiceTable, tracer: Tracer, mode: str = "scan") -> None:
        super().__init__(services, mode)
        self.tracer = tracer

    def send(self, host: HostState, key: Any, tryno: int) -> bool:
        before = len(self.ready)
        ok = super().send(host, key, tryno)
        if not ok:
            return ok
        port = _port_of(key)
        if (host.ip, key) in self.current:
            self.tracer.conn(host.ip, port, errno.EINPROGRESS)
        elif len(self.ready) > before:
            self.tracer.conn(host.ip, port, _ERRNO_OF.get(self.ready[-1][3], None))
        return ok

    def _drain(self, _sock: Any) -> list[Any]:
        immediate = len(self.ready)
        out = super()._drain(_sock)
        # the results of connect()s that finished later; the immediate ones (appended
        # from self.ready, last) were traced when sent
        for ip, key, _tryno, res in out[:len(out) - immediate]:
            self.tracer.conn(ip, _port_of(key), _ERRNO_OF.get(res, None))
        return out


def _port_of(key: Any) -> int:
    """The port of a connect driver key: a port number, or ("PS", port) when pinging."""
    port: int = key[1] if isinstance(key, tuple) else key
    return port


#: connect driver results -> the errno that gave them, for CONN lines
_ERRNO_OF: dict[Any, int | None] = {
    ("open", "syn-ack"): 0, ("closed", "conn-refused"): errno.ECONNREFUSED,
    ("filtered", "host-unreach"): errno.EHOSTUNREACH,
    ("filtered", "admin-prohibited"): errno.EACCES,
}


def _groups(targets: Iterator[Target], size: int) -> Iterator[list[Target]]:
    group: list[Target] = []
    for t in targets:
        group.append(t)
        if len(group) >= size:
            yield group
            group = []
    if group:
        yield group


def _reverse_dns(hosts: list[Host]) -> None:
    from concurrent.futures import ThreadPoolExecutor  # only when names are wanted

    def lookup(h: Host) -> None:
        try:
            h.name = socket.gethostbyaddr(h.ip)[0]
        except (OSError, UnicodeError):
            pass

    with ThreadPoolExecutor(max_workers=min(16, max(1, len(hosts)))) as ex:
        list(ex.map(lookup, hosts))


def _times_of(est: RttEstimator) -> Times:
    return Times(est.srtt, est.rttvar, est.timeout)


def run_scan(o: ScanOptions, log: Callable[[str], None] | None = None,
             on_host: Callable[[Host], None] | None = None,
             on_start: Callable[[], None] | None = None,
             on_group: Callable[[list[Host]], None] | None = None,
             plan: ScanPlan | None = None,
             services: ServiceTable | None = None,
             on_phase: PhaseCallback | None = None,
             trace_write: Callable[[str], None] | None = None,
             stats: Stats | None = None) -> ScanResult:
    """Run the whole scan described by ``o``.  ``log`` gets notices and traces (one line
    each); ``on_start`` is called once the options and targets are known to be good,
    before the first packet; ``on_group`` with each host group once its port and version
    scans are done (the script engine's host/port phase runs there, as nmap runs it per
    host group), then ``on_host`` with each host of the group.  ``plan`` and
    ``services``, when the caller already has them, are not worked out again.

    ``on_phase(event, name, states, hosts)`` is told when a phase of a host group starts
    (``event`` "start") and ends ("end"): ``name`` in nmap's words ("Ping Scan", "SYN
    Stealth Scan", "Service scan"), ``states`` the probe engine's per-host states of the
    phase (their queues say how many probes are left: progress displays read them while
    the phase runs), ``hosts`` the hosts it scans.  ``--packet-trace`` lines go to
    ``trace_write`` (default: ``log``), one per packet sent or received, in nmap's format
    (:mod:`nse.output.packettrace`).  ``stats``, when given, is the counters object the
    scan fills (a caller reads it between phases); else a new one."""
    log = log or (lambda s: print(s, file=sys.stderr))
    phase = on_phase or _no_phase
    if services is None:
        services = load_services(o.datadir)
    if plan is None:
        plan = resolve_plan(o, services)
    unresolved: list[str] = []
    targets = _all_targets(o, log, unresolved)
    # Parse every target spec before the first packet (a bad one anywhere is an error).
    first: list[Target] = []
    for tgt in targets:
        first.append(tgt)
        break
    if on_start:
        on_start()
    for n in plan.notices:
        log(n)
    if stats is None:
        stats = Stats()
    started_wall = time.time()
    t0 = time.monotonic()
    rng = random.Random()
    t = o.timing
    params = CongestionParams.from_timing(t)
    if not plan.privileged:
        budget = fd_budget()
        params.max_cwnd = min(params.max_cwnd, float(budget))
    group_size = t.max_hostgroup or 256
    if t.min_hostgroup:
        group_size = max(group_size, t.min_hostgroup)
    io: RawIO | None = None
    arp: dict[str, ArpIO] = {}
    hosts_out: list[Host] = []
    tracer: Tracer | None = None
    if o.packet_trace:
        tracer = Tracer(trace_write or log)

    def chain() -> Iterator[Target]:
        yield from first
        yield from targets

    try:
        if plan.privileged:
            try:
                io = (TracingRawIO(tracer, stats) if tracer is not None
                      else CountingRawIO(stats))
            except PermissionError:
                raise ScanError("cannot open raw sockets (need root or CAP_NET_RAW)")
        for group in _groups(chain(), group_size):
            group_t0 = time.monotonic()
            if o.randomize_hosts:
                rng.shuffle(group)
            models: list[Host] = []
            for tg in group:
                h = Host(ip=tg.ip, targetname=tg.targetname)
                models.append(h)
                if h.family == 4:
                    h.bin_ip = socket.inet_aton(h.ip)
                    route = netinfo.route_to(h.ip, o.interface)
                    if route is not None:
                        h.interface = route.interface
                        h.interface_mtu = route.mtu
                        h.bin_ip_src = socket.inet_aton(route.src)
                        h.mac_addr_src = route.mac_src
                        h.directly_connected = route.directly_connected
                else:
                    h.bin_ip = socket.inet_pton(socket.AF_INET6, h.ip.split("%")[0])
                    h.directly_connected = h.ip.startswith(("::1", "fe80"))
                    h.interface = "lo" if h.ip == "::1" else None
            rtts = _discover(o, plan, models, io, arp, stats, params, rng, tracer, phase)
            up = [h for h in models if h.up]
            if o.dns == "always" or (o.dns == "default" and up):
                named = models if o.dns == "always" else up
                phase("start", "Parallel DNS resolution", [], named)
                _reverse_dns(named)
                phase("end", "Parallel DNS resolution", [], named)
            if plan.ports is not None and up:
                _port_scans(o, plan, up, io, stats, params, rng, rtts, services, tracer,
                            phase)
                if o.version_scan:
                    phase("start", "Service scan", [], up)
                    _version_scan(o, up)
                    phase("end", "Service scan", [], up)
            for h in models:
                if h.ip in rtts:
                    h.times = _times_of(rtts[h.ip])
            if on_group:
                on_group(models)
            for h in models:
                # the host's scan time as output writers report it (<host starttime>)
                h.elapsed = time.monotonic() - group_t0
                if on_host:
                    on_host(h)
            hosts_out.extend(models)
    finally:
        if io is not None:
            io.close()
        for a in arp.values():
            a.close()
    return ScanResult(hosts_out, stats, started_wall, time.monotonic() - t0, plan, services,
                      unresolved)


def _discover(o: ScanOptions, plan: ScanPlan, models: list[Host], io: RawIO | None,
              arp: dict[str, ArpIO], stats: Stats, params: CongestionParams,
              rng: random.Random, tracer: Tracer | None, phase: PhaseCallback
              ) -> dict[str, RttEstimator]:
    """Mark hosts up/down.  Returns RTT estimators of hosts that answered."""
    rtts: dict[str, RttEstimator] = {}
    todo: list[Host] = []
    for h in models:
        if o.no_ping:
            h.up, h.reason = True, "user-set"
        elif h.family == 4 and h.interface == "lo":
            h.up, h.reason = True, "localhost-response"
        elif h.family == 6 and h.ip == "::1":
            h.up, h.reason = True, "localhost-response"
        elif h.family == 4 and h.interface is None:
            h.up, h.reason = False, "no-route"
        else:
            todo.append(h)
    if not todo:
        return rtts
    states: list[HostState] = []
    sources = {h.ip: socket.inet_ntoa(h.bin_ip_src) for h in todo if h.bin_ip_src}
    explicit = [(k, v) for k, v in o.ping_probes]
    timing = o.timing
    if plan.privileged and io is not None and not o.ipv6:
        if not o.disable_arp and all(h.directly_connected and h.mac_addr_src for h in todo):
            # ARP on the local segment is answered within a millisecond or not at all: like
            # nmap, do not wait the full initial RTT timeout (1 s at -T3) for silent hosts.
            timing = dataclasses.replace(timing, initial_rtt_timeout=min(
                timing.initial_rtt_timeout, 0.2))
        driver = DiscoveryDriver(io, arp, sources, {h.ip: h.mac_addr_src or b""
                                                    for h in todo}, rng)
        for h in todo:
            use_arp = (h.directly_connected and h.mac_addr_src is not None
                       and not o.disable_arp and h.interface is not None)
            if use_arp:
                assert h.interface is not None
                if h.interface not in arp:
                    arp[h.interface] = (TracingArpIO(h.interface, tracer, stats)
                                        if tracer is not None
                                        else CountingArpIO(h.interface, stats))
                driver.iface_of[h.ip] = h.interface
                keys: list[tuple[str, int | None]] = [("PR", None)]
            else:
                keys = _probe_keys(explicit, o) if explicit else list(DEFAULT_PROBES)
                keys = [k for k in keys if k[0] != "PR"] or list(DEFAULT_PROBES)
            states.append(HostState(h.ip, keys, timing, params, ctx=h))
        name = "ARP Ping Scan" if arp else "Ping Scan"
        phase("start", name, states, todo)
        UltraScan(states, driver, timing, params, stats).run()
        phase("end", name, states, todo)
    else:
        cdriver = (TracingConnectDriver(load_services(o.datadir), tracer, mode="ping")
                   if tracer is not None else
                   ConnectDriver(load_services(o.datadir), mode="ping"))
        ports = [p for k, spec in explicit if k in ("PS", "PA")
                 for p in _ports_of(spec, o)] or [80, 443]
        for h in todo:
            states.append(HostState(h.ip, [("PS", p) for p in ports], o.timing, params,
                                    ctx=h))
        phase("start", "Ping Scan", states, todo)
        try:
            UltraScan(states, cdriver, o.timing, params, stats).run()
        finally:
            cdriver.close()
        phase("end", "Ping Scan", states, todo)
    for st in states:
        if st.ctx.up and st.rtt.srtt is not None:
            rtts[st.ip] = st.rtt
    return rtts


def _ports_of(spec: str | None, o: ScanOptions) -> list[int]:
    if not spec:
        return []
    got = parse_port_spec(spec, load_services(o.datadir), ("tcp",))
    return sorted(got["tcp"])


def _probe_keys(explicit: list[tuple[str, str | None]], o: ScanOptions
                ) -> list[tuple[str, int | None]]:
    keys: list[tuple[str, int | None]] = []
    defaults = {"PS": [80], "PA": [80], "PU": [40125]}
    for kind, spec in explicit:
        if kind in ("PS", "PA", "PU"):
            ports = _ports_of(spec, o) if spec else defaults[kind]
            keys.extend((kind, p) for p in ports)
        elif kind in ("PE", "PP"):
            keys.append((kind, None))
        elif kind == "PM":
            continue  # address-mask requests are not implemented
    return list(dict.fromkeys(keys))


def _port_scans(o: ScanOptions, plan: ScanPlan, up: list[Host], io: RawIO | None,
                stats: Stats, params: CongestionParams, rng: random.Random,
                rtts: dict[str, RttEstimator], services: ServiceTable,
                tracer: Tracer | None, phase: PhaseCallback) -> None:
    assert plan.ports is not None
    sources = {h.ip: socket.inet_ntoa(h.bin_ip_src) for h in up if h.bin_ip_src}
    if plan.tcp_scan != "connect" or plan.udp:
        # raw probes need a source address; a host without a route (up only by -Pn)
        # gets no port results, as nmap skips it ("Failed to find route")
        unroutable = [h for h in up if h.family == 4 and not h.bin_ip_src]
        for h in unroutable:
            h.reason = "no-route"
        up = [h for h in up if h not in unroutable]
        if not up:
            return
    if io is not None:
        io.focus(up[0].ip if len(up) == 1 and up[0].family == 4 else None)

    def states(ports: list[int]) -> list[HostState]:
        out = []
        for h in up:
            est = rtts.get(h.ip)
            rtt = None
            if est is not None:
                rtt = RttEstimator(o.timing)
                rtt.srtt, rtt.rttvar, rtt.timeout = est.srtt, est.rttvar, est.timeout
            out.append(HostState(h.ip, list(ports), o.timing, params, ctx=h, rtt=rtt))
        return out

    if plan.tcp_scan and plan.ports.tcp:
        name = PHASE_NAMES[plan.tcp_scan]
        if plan.tcp_scan == "connect":
            driver = (TracingConnectDriver(services, tracer) if tracer is not None
                      else ConnectDriver(services))
            try:
                sts = states(plan.ports.tcp)
                phase("start", name, sts, up)
                UltraScan(sts, driver, o.timing, params, stats).run()
            finally:
                driver.close()
        else:
            assert io is not None
            # the raw drivers' own trace hook stays off: the tracing RawIO prints every
            # packet, in nmap's format, batched sends included
            tdriver = TcpScanDriver(io, services, plan.tcp_scan, sources, rng)
            sts = states(plan.ports.tcp)
            phase("start", name, sts, up)
            UltraScan(sts, tdriver, o.timing, params, stats).run()
        _finish_hosts(sts, rtts)
        phase("end", name, sts, up)
    if plan.udp and plan.ports.udp:
        assert io is not None
        udriver = UdpScanDriver(io, services, sources, rng)
        sts = states(plan.ports.udp)
        phase("start", "UDP Scan", sts, up)
        UltraScan(sts, udriver, o.timing, params, stats, adaptive_delay=True).run()
        _finish_hosts(sts, rtts)
        phase("end", "UDP Scan", sts, up)


def _version_scan(o: ScanOptions, up: list[Host]) -> None:
    """-sV: hand the open ports to the service-detection package (nse.scan.vscan)."""
    try:
        from nse.scan.vscan import run_version_scan
    except ImportError as e:
        raise ScanError(f"service detection (-sV) is not available: {e}")
    run_version_scan(up, o)


def _finish_hosts(sts: list[HostState], rtts: dict[str, RttEstimator]) -> None:
    for st in sts:
        h: Host = st.ctx
        if st.timed_out:
            h.timed_out = True
        if st.rtt.srtt is not None:
            rtts[h.ip] = st.rtt
