"""nse.scan: what ``nse scan`` does before any script runs (see ../shared/DESIGN.md).

Entry points: :func:`nse.scan.options.parse_args` (nmap-style argv -> ``ScanOptions``) and
:func:`nse.scan.runner.run_scan` (-> ``ScanResult`` with :class:`nse.scan.model.Host`
objects, the host/port model the script engine consumes).

Modules (pure ones first; only the last group touches sockets):

``model``      Host / Port / Times: plain classes, fields named as in NSE's host/port
``errors``     UsageError (bad input, exit 2) and ScanError (cannot scan, exit 1)
``targets``    target specs: addresses, CIDR, octet ranges, names, IPv6, -iL, --exclude
``ports``      port specs (-p, -F, --top-ports, --exclude-ports, -r)
``services``   nmap-services read at run time, or our own table; ``macvendors`` likewise
``timing``     -T templates, RTT estimation, congestion windows (ultra_scan's rules)
``options``    the nmap-style option parser
``packets``    probe building and reply parsing with dpkt; ``payloads`` UDP payloads
``ultra``      the probe engine: windows, timeouts, retransmissions, rates, delays
``portscan``   -sS/-sA/-sF/-sN/-sX/-sU drivers; ``discovery`` ARP/ICMP/TCP/UDP pings;
               ``connect`` -sT and unprivileged discovery
``netinfo``    routes and interfaces; ``rawio`` raw and packet sockets
``runner``     the pipeline: targets -> host groups -> discovery -> scans

``vscan/`` (service detection, -sV) is built separately by the service-detection work.
"""
