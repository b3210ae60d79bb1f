"""Our own probe file (nse/data/nse-service-probes) alone: the zoo's services are named
and their products found (issue 7, acceptance 2)."""

from __future__ import annotations

import pytest

from nse.scan.model import Host, Port
from nse.scan.vscan import OWN_PROBES, VersionOptions, find_probe_file, run_version_scan
from nse.scan.vscan.probes import load_probe_file
from tests.vscan import servers as S

EXPECTED = {
    # label: (service, product, version)
    "http-nginx": ("http", "nginx", "1.22.1"),
    "http-apache": ("http", "Apache httpd", "2.4.57"),
    "https-nginx": ("http", "nginx", "1.22.1"),
    "ssh": ("ssh", "OpenSSH", "9.2p1 Debian 2+deb12u3"),
    "ftp-vsftpd": ("ftp", "vsftpd", "3.0.3"),
    "ftp-proftpd": ("ftp", "ProFTPD", None),
    "smtp-postfix": ("smtp", "Postfix smtpd", None),
    "pop3-dovecot": ("pop3", "Dovecot pop3d", None),
    "imap-dovecot": ("imap", "Dovecot imapd", None),
    "redis": ("redis", "Redis key-value store", None),
    "mysql-mariadb": ("mysql", "MariaDB", "10.11.6"),
    "vnc": ("vnc", "VNC", None),
    "tcpwrapped": ("tcpwrapped", None, None),
    "dns-udp": ("domain", "ISC BIND", "9.18.19-1~deb12u1"),
}


def test_own_file_parses_and_covers_the_issue_list() -> None:
    db = load_probe_file(OWN_PROBES)
    services = set()
    for p in [db.null_probe, *db.probes]:
        assert p is not None
        services |= p.services
    for name in ("http", "ssl", "ssh", "ftp", "smtp", "pop3", "imap", "domain", "redis",
                 "memcached", "mysql", "snmp", "ntp", "ms-wbt-server", "vnc", "telnet"):
        assert name in services, name


def test_own_file_is_used_without_nmap_data(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("NMAPDIR", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    # NMAPDIR given: /usr/share/nmap is not searched (nse.lib.datadir), our file is used
    assert find_probe_file(None) == OWN_PROBES
    (tmp_path / "nmap-service-probes").write_text("Probe TCP NULL q||\n")
    assert find_probe_file(None) == str(tmp_path / "nmap-service-probes")


def test_zoo_with_own_probe_file() -> None:
    zoo = S.start_zoo(list(EXPECTED))
    try:
        h = Host("127.0.0.1", up=True)
        by_label = {}
        for label, s in zoo.items():
            proto = "udp" if isinstance(s, S.UdpServer) else "tcp"
            p = Port(s.port, proto, "open" if proto == "tcp" else "open|filtered")
            h.ports[(proto, s.port)] = p
            by_label[label] = p
        run_version_scan([h], VersionOptions(versiondb=OWN_PROBES, timing_level=4))
    finally:
        S.stop_zoo(zoo)
    wrong = []
    for label, (svc, product, version) in EXPECTED.items():
        p = by_label[label]
        got = (p.version.get("name"), p.version.get("product"), p.version.get("version"))
        if got != (svc, product, version):
            wrong.append(f"{label}: expected {(svc, product, version)} got {got}")
    assert wrong == []
    assert by_label["https-nginx"].version["service_tunnel"] == "ssl"
    assert by_label["dns-udp"].state == "open"
    assert by_label["mysql-mariadb"].version["cpe"] == ["cpe:/a:mariadb:mariadb:10.11.6"]


@pytest.mark.parametrize("label", ["dnsmasq", "snmpd"])
def test_real_daemons_with_own_probe_file(label: str) -> None:
    import shutil
    if not shutil.which(label) and not shutil.which(f"/usr/sbin/{label}"):
        pytest.skip(f"{label} not installed")
    d = S.Daemon(label)
    try:
        h = Host("127.0.0.1", up=True)
        p = Port(d.port, "udp", "open|filtered")
        h.ports[("udp", d.port)] = p
        run_version_scan([h], VersionOptions(versiondb=OWN_PROBES, timing_level=4))
    finally:
        d.stop()
    if label == "dnsmasq":
        assert (p.version.get("name"), p.version.get("product")) == ("domain", "dnsmasq")
        assert p.version.get("version")
    else:
        assert (p.version.get("name"), p.version.get("product")) == ("snmp", "SNMPv1 server")
        assert p.state == "open"
