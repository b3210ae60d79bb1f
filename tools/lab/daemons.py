"""Real Debian daemons in a network namespace of the lab (needs root).

``DaemonLab`` builds a small lab (see :mod:`tools.lab.lab`)::

    nl<pid><tag>-sw    switch namespace with bridge br0
    nl<pid><tag>-scan  client namespace, eth0 = 10.213.0.1/24   (``lab.client_ns``)
    nl<pid><tag>-srv   daemon namespace, eth0 = 10.213.0.2/24   (``lab.ns``, ``lab.ip``)

and starts real daemons inside ``lab.ns``, each on its standard port and on every address
of that namespace (127.0.0.1 and ``lab.ip``), so that both
``ip netns exec <lab.ns> nmap 127.0.0.1`` and ``ip netns exec <lab.client_ns> nmap 10.213.0.2``
work.  Every configuration, pid, log and data file is written by us into a fresh temp dir
(``lab.tmpdir``); nothing under /etc is read or changed (only ``/run/sshd``, sshd's fixed
privilege-separation directory, is created if missing).  TLS services use a self-signed
certificate made per run (``lab.cert``, CN ``lab.test``).

Services (``name: daemon, proto/port``)::

    http nginx 80/tcp      https nginx 443/tcp     ssh sshd 22/tcp
    ftp vsftpd 21/tcp (anonymous)                   smtp exim4 25/tcp (STARTTLS)
    pop3 dovecot 110/tcp   pop3s dovecot 995/tcp   imap dovecot 143/tcp   imaps dovecot 993/tcp
    redis 6379/tcp         memcached 11211/tcp     dns dnsmasq 53/udp (and 53/tcp)
    snmp snmpd 161/udp (community "public")        mysql mariadbd 3306/tcp
    http-alt lighttpd 8080/tcp                      telnet inetutils-inetd + telnetd 23/tcp

A daemon serving several services is started once and serves all of them (asking for
``https`` also opens 80): ``lab.ports`` lists every service that is actually listening.
Each service is checked with a real exchange (banner, HTTP 200, TLS handshake, PING, ...)
before ``up()`` returns; a daemon that exits or is not ready within ``timeout`` seconds
raises :class:`DaemonError` naming it, with the tail of its logs.

Use::

    from tools.lab.daemons import DaemonLab
    with DaemonLab(services=["http", "ssh"]) as lab:
        lab.ns, lab.ip, lab.ports          # "nl123dm-srv", "10.213.0.2", {"http": 80, ...}
        lab.run(["nmap", "-p22", "127.0.0.1"])          # inside the daemon namespace
        lab.run_client(["nmap", "-p22", lab.ip])        # from the client namespace
        s = lab.socket()                                # a socket living in lab.ns

Pytest (session scope, one lab shared by every fixture of the session)::

    from tools.lab.daemons import daemon_lab_fixture
    daemon_lab = daemon_lab_fixture(["http", "ssh"])   # in a conftest.py or test module

Teardown kills every process of the namespaces and deletes them (also from ``atexit``);
labs left behind by a killed run (their creating process is gone) are removed when the
next lab starts, together with their temp dirs.

Command line: ``python -m tools.lab.daemons up [--services a,b] [--detach] | status | down``.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import ctypes
import glob
import json
import os
import re
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from tools.lab.lab import SCANNER_IP, SUBNET, Lab, _delete_ns, _netns_list, cleanup_stale

__all__ = ["DAEMON_IP", "CLIENT_IP", "SERVICES", "DAEMONS", "Daemon", "DaemonError",
           "DaemonLab", "Service", "available_services", "daemon_lab_fixture", "dns_query",
           "make_cert", "netns_socket", "release", "shared", "snmp_get_sysdescr"]

DAEMON_IP = f"{SUBNET}.2"
CLIENT_IP = SCANNER_IP
_TMP_PREFIX = "nselab-dm-"


class DaemonError(RuntimeError):
    """A daemon could not be started (the message names it and shows its log tail)."""


@dataclass(frozen=True)
class Service:
    """One service: the daemon serving it, its protocol and standard port."""

    name: str
    daemon: str
    proto: str
    port: int


@dataclass(frozen=True)
class Daemon:
    """A daemon program: the Debian package providing it and the services it serves."""

    name: str
    binary: str
    package: str
    services: tuple[str, ...]
    needs: tuple[str, ...] = ()  # further programs it runs

    def installed(self) -> bool:
        """Whether every program of the daemon is installed."""
        return all(os.path.exists(b) for b in (self.binary, *self.needs))


DAEMONS: dict[str, Daemon] = {d.name: d for d in [
    Daemon("nginx", "/usr/sbin/nginx", "nginx-light", ("http", "https")),
    Daemon("sshd", "/usr/sbin/sshd", "openssh-server", ("ssh",)),
    Daemon("vsftpd", "/usr/sbin/vsftpd", "vsftpd", ("ftp",)),
    Daemon("exim4", "/usr/sbin/exim4", "exim4-daemon-light", ("smtp",)),
    Daemon("dovecot", "/usr/sbin/dovecot", "dovecot-imapd dovecot-pop3d",
           ("pop3", "pop3s", "imap", "imaps")),
    Daemon("redis", "/usr/bin/redis-server", "redis-server", ("redis",)),
    Daemon("memcached", "/usr/bin/memcached", "memcached", ("memcached",)),
    Daemon("dnsmasq", "/usr/sbin/dnsmasq", "dnsmasq-base", ("dns",)),
    Daemon("snmpd", "/usr/sbin/snmpd", "snmpd", ("snmp",)),
    Daemon("mariadb", "/usr/sbin/mariadbd", "mariadb-server", ("mysql",),
           ("/usr/bin/mariadb-install-db",)),
    Daemon("lighttpd", "/usr/sbin/lighttpd", "lighttpd", ("http-alt",)),
    Daemon("telnetd", "/usr/sbin/inetutils-inetd", "inetutils-inetd inetutils-telnetd",
           ("telnet",), ("/usr/sbin/telnetd",)),
]}

SERVICES: dict[str, Service] = {s.name: s for s in [
    Service("http", "nginx", "tcp", 80),
    Service("https", "nginx", "tcp", 443),
    Service("ssh", "sshd", "tcp", 22),
    Service("ftp", "vsftpd", "tcp", 21),
    Service("smtp", "exim4", "tcp", 25),
    Service("pop3", "dovecot", "tcp", 110),
    Service("pop3s", "dovecot", "tcp", 995),
    Service("imap", "dovecot", "tcp", 143),
    Service("imaps", "dovecot", "tcp", 993),
    Service("redis", "redis", "tcp", 6379),
    Service("memcached", "memcached", "tcp", 11211),
    Service("dns", "dnsmasq", "udp", 53),
    Service("snmp", "snmpd", "udp", 161),
    Service("mysql", "mariadb", "tcp", 3306),
    Service("http-alt", "lighttpd", "tcp", 8080),
    Service("telnet", "telnetd", "tcp", 23),
]}


def available_services() -> list[str]:
    """The services whose daemon binary is installed here."""
    return [s.name for s in SERVICES.values() if DAEMONS[s.daemon].installed()]


# -- sockets inside a namespace --------------------------------------------------------------

_libc = ctypes.CDLL(None, use_errno=True)
_CLONE_NEWNET = 0x40000000
_setns_lock = threading.Lock()


def _setns(fd: int) -> None:
    if _libc.setns(fd, _CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def netns_socket(ns: str, family: int = socket.AF_INET, type: int = socket.SOCK_STREAM
                 ) -> socket.socket:
    """A socket created inside network namespace ``ns`` (needs root).

    A network namespace switch (setns) applies to the calling thread only, and a socket
    keeps the namespace it was created in; so the thread enters ``ns``, creates the
    socket and returns to its own namespace at once."""
    with _setns_lock:
        own = os.open(f"/proc/self/task/{threading.get_native_id()}/ns/net", os.O_RDONLY)
        target = os.open(f"/run/netns/{ns}", os.O_RDONLY)
        try:
            _setns(target)
            try:
                return socket.socket(family, type)
            finally:
                _setns(own)
        finally:
            os.close(own)
            os.close(target)


# -- readiness checks (a real exchange per protocol) ----------------------------------------

def _recv_until(s: socket.socket | ssl.SSLSocket, done: Callable[[bytes], bool]) -> bytes:
    buf = b""
    while not done(buf):
        chunk = s.recv(4096)
        if not chunk:
            break
        buf += chunk
    return buf


def _line(buf: bytes) -> bool:
    return b"\n" in buf


def _tls(s: socket.socket) -> ssl.SSLSocket:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx.wrap_socket(s, server_hostname="lab.test")


def _expect(got: bytes, prefix: bytes, what: str) -> None:
    if not got.startswith(prefix):
        raise ConnectionError(f"{what}: expected {prefix!r}, got {got[:80]!r}")


def dns_query(name: str, qtype: int = 1, qid: int = 0x4c41) -> bytes:
    """A DNS query message (RFC 1035 4.1) asking ``name``, recursion desired."""
    q = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".") if p) + b"\0"
    return struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + q + struct.pack(">HH", qtype, 1)


def snmp_get_sysdescr(community: bytes = b"public", request_id: int = 0x4c41) -> bytes:
    """An SNMPv1 GetRequest for sysDescr.0 (1.3.6.1.2.1.1.1.0), BER encoded (RFC 1157)."""
    def tlv(tag: int, body: bytes) -> bytes:
        assert len(body) < 128
        return bytes([tag, len(body)]) + body
    oid = tlv(0x06, bytes([0x2B, 6, 1, 2, 1, 1, 1, 0]))
    varbind = tlv(0x30, tlv(0x30, oid + b"\x05\x00"))
    pdu = tlv(0xA0, tlv(0x02, request_id.to_bytes(2, "big")) + tlv(0x02, b"\0")
              + tlv(0x02, b"\0") + varbind)
    return tlv(0x30, tlv(0x02, b"\0") + tlv(0x04, community) + pdu)


def _check(ns: str, svc: Service, timeout: float) -> None:
    """One readiness attempt for ``svc``; raises OSError / ConnectionError when not ready."""
    if svc.proto == "udp":
        s = netns_socket(ns, socket.AF_INET, socket.SOCK_DGRAM)
        with s:
            s.settimeout(timeout)
            s.connect(("127.0.0.1", svc.port))
            if svc.name == "dns":
                s.send(dns_query("lab.test"))
                r = s.recv(4096)
                if r[:2] != b"\x4c\x41" or not r[2] & 0x80:
                    raise ConnectionError(f"dns: bad answer {r[:16]!r}")
            else:
                s.send(snmp_get_sysdescr())
                r = s.recv(4096)
                if not r.startswith(b"\x30") or b"\xa2" not in r:
                    raise ConnectionError(f"snmp: bad answer {r[:16]!r}")
        return
    raw = netns_socket(ns)
    raw.settimeout(timeout)
    with contextlib.closing(raw):
        raw.connect(("127.0.0.1", svc.port))
        s: socket.socket | ssl.SSLSocket = raw
        if svc.name in ("https", "pop3s", "imaps"):
            s = _tls(raw)
        n = svc.name
        if n in ("http", "https", "http-alt"):
            s.sendall(b"GET / HTTP/1.0\r\nHost: lab.test\r\n\r\n")
            status = _recv_until(s, _line)
            if not (status.startswith(b"HTTP/1.") and status[8:13] == b" 200 "):
                raise ConnectionError(f"{n}: not HTTP 200: {status[:40]!r}")
        elif n == "ssh":
            _expect(_recv_until(s, _line), b"SSH-2.0-", n)
        elif n in ("ftp", "smtp"):
            _expect(_recv_until(s, _line), b"220", n)
        elif n in ("pop3", "pop3s"):
            _expect(_recv_until(s, _line), b"+OK", n)
        elif n in ("imap", "imaps"):
            _expect(_recv_until(s, _line), b"* OK", n)
        elif n == "redis":
            s.sendall(b"PING\r\n")
            _expect(_recv_until(s, _line), b"+PONG", n)
        elif n == "memcached":
            s.sendall(b"version\r\n")
            _expect(_recv_until(s, _line), b"VERSION ", n)
        elif n == "telnet":  # telnetd opens with option negotiation (IAC ...)
            _expect(_recv_until(s, lambda b: len(b) >= 3), b"\xff", n)
        elif n == "mysql":
            pkt = _recv_until(s, lambda b: len(b) >= 5)
            if len(pkt) < 5 or pkt[4] != 10:  # handshake v10 after the 4-byte header
                raise ConnectionError(f"mysql: no handshake v10: {pkt[:16]!r}")
        else:  # pragma: no cover - every service is handled above
            raise AssertionError(n)


# -- configuration files ----------------------------------------------------------------------

def _w(path: str, text: str, mode: int = 0o644) -> str:
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    return path


def _mk(*paths: str, mode: int = 0o755) -> None:
    for p in paths:
        os.makedirs(p, exist_ok=True)
        os.chmod(p, mode)


@dataclass
class _Launch:
    argv: list[str]
    logs: list[str]  # files whose tails explain a failure (besides the daemon's output)
    env: dict[str, str] | None = None


def _sh(script: str) -> list[str]:
    return ["/bin/sh", "-ec", script]


def _configure(name: str, t: str, cert: str, key: str) -> _Launch:
    """Write ``name``'s config under ``t`` and say how to run it in the foreground."""
    if name == "nginx":
        _www(t)
        _mk(f"{t}/nginx-tmp")
        tmpdirs = " ".join(f"{k}_temp_path {t}/nginx-tmp/{k};"
                           for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        conf = _w(f"{t}/nginx.conf", f"""
worker_processes 1; pid {t}/nginx.pid; error_log {t}/nginx.err; daemon off;
events {{ worker_connections 256; }}
http {{
  access_log off; {tmpdirs}
  types {{ text/html html; text/plain txt; }} default_type text/plain;
  server {{
    listen 80; listen 443 ssl; server_name lab.test;
    ssl_certificate {cert}; ssl_certificate_key {key};
    root {t}/www; index index.html;
  }}
}}
""")
        return _Launch(["/usr/sbin/nginx", "-e", f"{t}/nginx.err", "-c", conf],
                       [f"{t}/nginx.err"])
    if name == "sshd":
        _mk(f"{t}/ssh", mode=0o700)
        keys = [f"{t}/ssh/ssh_host_{k}_key" for k in ("rsa", "ecdsa", "ed25519")]
        conf = _w(f"{t}/sshd_config", "".join(f"HostKey {k}\n" for k in keys) + f"""
Port 22
ListenAddress 0.0.0.0
PidFile {t}/sshd.pid
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PermitRootLogin no
Subsystem sftp internal-sftp
""")
        gen = " && ".join(f"ssh-keygen -q -N '' -t {k} -f {t}/ssh/ssh_host_{k}_key"
                          for k in ("rsa", "ecdsa", "ed25519"))
        # sshd refuses to start without its fixed privilege-separation directory
        return _Launch(_sh(f"mkdir -p -m 0755 /run/sshd; {gen}; "
                           f"exec /usr/sbin/sshd -D -e -f {conf}"), [])
    if name == "vsftpd":
        _mk(f"{t}/ftp", f"{t}/ftp/pub", f"{t}/vsftpd-empty")
        _w(f"{t}/ftp/pub/README.txt", "nse lab anonymous ftp\n")
        conf = _w(f"{t}/vsftpd.conf", f"""listen=YES
listen_ipv6=NO
listen_port=21
background=NO
anonymous_enable=YES
no_anon_password=YES
local_enable=NO
write_enable=NO
anon_root={t}/ftp
secure_chroot_dir={t}/vsftpd-empty
nopriv_user=nobody
ftp_username=ftp
seccomp_sandbox=NO
connect_from_port_20=NO
pasv_enable=YES
pasv_min_port=30000
pasv_max_port=30100
xferlog_enable=YES
vsftpd_log_file={t}/vsftpd.log
dual_log_enable=YES
xferlog_file={t}/vsftpd.xferlog
""", 0o600)
        return _Launch(["/usr/sbin/vsftpd", conf], [f"{t}/vsftpd.log"])
    if name == "exim4":
        _mk(f"{t}/exim", f"{t}/exim/spool", f"{t}/exim/log")
        conf = _w(f"{t}/exim.conf", f"""primary_hostname = lab.test
spool_directory = {t}/exim/spool
log_file_path = {t}/exim/log/%slog
pid_file_path = {t}/exim/exim.pid
daemon_smtp_ports = 25
local_interfaces = 0.0.0.0
exim_user = root
exim_group = root
never_users =
tls_advertise_hosts = *
tls_certificate = {cert}
tls_privatekey = {key}
acl_smtp_rcpt = acl_rcpt
begin acl
acl_rcpt:
  deny message = relay not permitted
begin routers
begin transports
""")
        return _Launch(["/usr/sbin/exim4", "-C", conf, "-bdf", "-q30m"],
                       [f"{t}/exim/log/mainlog", f"{t}/exim/log/paniclog"])
    if name == "dovecot":
        _mk(f"{t}/dovecot", f"{t}/dovecot/run", f"{t}/dovecot/state")
        _mk(f"{t}/mail", mode=0o1777)
        conf = _w(f"{t}/dovecot/dovecot.conf", f"""protocols = imap pop3
listen = *
base_dir = {t}/dovecot/run
state_dir = {t}/dovecot/state
log_path = {t}/dovecot/dovecot.log
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{t}/mail/%u
default_internal_user = dovecot
default_login_user = dovenull
passdb {{
  driver = static
  args = password=lab
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={t}/mail/%u
}}
""")
        return _Launch(["/usr/sbin/dovecot", "-F", "-c", conf], [f"{t}/dovecot/dovecot.log"])
    if name == "redis":
        return _Launch(["/usr/bin/redis-server", "--port", "6379", "--bind", "0.0.0.0",
                        "--protected-mode", "no", "--save", "", "--appendonly", "no",
                        "--dir", t, "--daemonize", "no", "--logfile", f"{t}/redis.log",
                        "--pidfile", f"{t}/redis.pid"], [f"{t}/redis.log"])
    if name == "memcached":
        return _Launch(["/usr/bin/memcached", "-u", "root", "-l", "0.0.0.0", "-p", "11211",
                        "-U", "0", "-P", f"{t}/memcached.pid"], [])
    if name == "dnsmasq":
        return _Launch(["/usr/sbin/dnsmasq", "--keep-in-foreground", "--no-resolv",
                        "--no-hosts", "--conf-file=/dev/null", "--port=53", "--user=root",
                        f"--pid-file={t}/dnsmasq.pid", f"--log-facility={t}/dnsmasq.log",
                        "--local=/lab.test/", "--domain=lab.test",
                        f"--host-record=lab.test,{DAEMON_IP}",
                        f"--host-record=www.lab.test,{DAEMON_IP}",
                        f"--host-record=mail.lab.test,{DAEMON_IP}",
                        "--mx-host=lab.test,mail.lab.test,10",
                        "--txt-record=lab.test,v=spf1 -all",
                        "--srv-host=_ssh._tcp.lab.test,lab.test,22",
                        "--cname=ftp.lab.test,www.lab.test"], [f"{t}/dnsmasq.log"])
    if name == "snmpd":
        _mk(f"{t}/snmp")
        conf = _w(f"{t}/snmpd.conf", "rocommunity public default\n"
                                     "sysLocation nse lab\nsysContact lab@lab.test\n")
        # -C: no default config files (/etc/snmp); state goes to our dir, not /var/lib/snmp
        return _Launch(["/usr/sbin/snmpd", "-f", "-Lf", f"{t}/snmpd.log", "-C", "-c", conf,
                        "-p", f"{t}/snmpd.pid", "udp:161"], [f"{t}/snmpd.log"],
                       env={"SNMP_PERSISTENT_DIR": f"{t}/snmp", "MIBS": ""})
    if name == "mariadb":
        small = ("--innodb-log-file-size=4M --innodb-buffer-pool-size=16M "
                 "--innodb-data-file-path=ibdata1:4M:autoextend --skip-log-bin "
                 "--skip-name-resolve")
        init = (f"mariadb-install-db --no-defaults --datadir={t}/db --user=root "
                f"--auth-root-authentication-method=normal --skip-test-db {small} "
                f"> {t}/mariadb-install.log 2>&1")
        # a user for any host: else MariaDB answers clients from other addresses (the
        # bridge) with "Host ... is not allowed to connect" instead of its handshake
        _w(f"{t}/mariadb-init.sql", "CREATE USER IF NOT EXISTS 'lab'@'%' IDENTIFIED BY 'lab';\n")
        run = (f"exec /usr/sbin/mariadbd --no-defaults --init-file={t}/mariadb-init.sql "
               f"--datadir={t}/db "
               f"--socket={t}/mysql.sock --port=3306 --bind-address=0.0.0.0 --user=root "
               f"--pid-file={t}/mariadb.pid --log-error={t}/mariadb.err --tmpdir={t} {small}")
        return _Launch(_sh(f"{init}\n{run}"), [f"{t}/mariadb-install.log", f"{t}/mariadb.err"])
    if name == "lighttpd":
        _www(t)
        conf = _w(f"{t}/lighttpd.conf", f"""server.document-root = "{t}/www"
server.port = 8080
server.bind = "0.0.0.0"
server.pid-file = "{t}/lighttpd.pid"
server.errorlog = "{t}/lighttpd.err"
server.upload-dirs = ("{t}")
index-file.names = ("index.html")
mimetype.assign = (".html" => "text/html", ".txt" => "text/plain")
""")
        return _Launch(["/usr/sbin/lighttpd", "-D", "-f", conf], [f"{t}/lighttpd.err"])
    if name == "telnetd":
        conf = _w(f"{t}/inetd.conf", "telnet stream tcp nowait root /usr/sbin/telnetd telnetd\n")
        return _Launch(["/usr/sbin/inetutils-inetd", "-d", f"--pidfile={t}/inetd.pid", conf],
                       [])
    raise KeyError(name)


def _www(t: str) -> None:
    """The web root shared by nginx and lighttpd."""
    _mk(f"{t}/www")
    _w(f"{t}/www/index.html", "<html><head><title>nse lab</title></head>"
                              "<body>nse lab</body></html>\n")
    _w(f"{t}/www/robots.txt", "User-agent: *\nDisallow: /private/\n")


def _tail(path: str, n: int = 15) -> str:
    try:
        with open(path, errors="replace") as f:
            lines = f.read().splitlines()[-n:]
    except OSError:
        return ""
    return "\n".join(f"  {ln}" for ln in lines)


def make_cert(directory: str) -> tuple[str, str]:
    """A self-signed RSA certificate for CN lab.test (and its key), valid for 2 days."""
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=lab.test", "-addext", "subjectAltName=DNS:lab.test",
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    os.chmod(key, 0o644)  # read by dovecot's and nginx's unprivileged processes too
    return cert, key


# -- the lab ------------------------------------------------------------------------------

_counter = iter(range(10**6))


def _tag() -> str:
    i = next(_counter)
    return "dm" + ("" if i == 0 else "".join(chr(97 + int(c)) for c in str(i)))


def _cleanup_stale_tmpdirs() -> list[str]:
    removed = []
    for d in glob.glob(os.path.join(tempfile.gettempdir(), _TMP_PREFIX + "*")):
        m = re.match(re.escape(_TMP_PREFIX) + r"(\d+)-", os.path.basename(d))
        if m and not os.path.exists(f"/proc/{m.group(1)}"):
            shutil.rmtree(d, ignore_errors=True)
            removed.append(d)
    return removed


_live: list[DaemonLab] = []


def _on_sigterm(signum: int, frame: object) -> None:
    """A SIGTERM (``timeout``, a CI runner) would skip atexit: tear the labs down first,
    then die of the signal as before."""
    for lab in list(_live):
        with contextlib.suppress(Exception):
            lab.down()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)


def _install_sigterm_handler() -> None:
    # only where nobody else handles SIGTERM, and only the main thread may set handlers
    if (threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL):
        signal.signal(signal.SIGTERM, _on_sigterm)


class DaemonLab:
    """Real daemons in a namespace; ``with DaemonLab(services=[...]) as lab: ...``.

    Attributes once up: ``ns`` (daemon namespace), ``ip`` (its lab address), ``ports``
    (``{service: port}`` of every listening service), ``protos`` (``{service: "tcp"|"udp"}``),
    ``client_ns`` / ``client_ip`` (a namespace on the same bridge to scan from),
    ``tmpdir``, ``cert`` / ``key`` (PEM paths) and ``startup_seconds``."""

    def __init__(self, services: Sequence[str] | None = None, timeout: float = 40.0) -> None:
        names = list(services) if services is not None else list(SERVICES)
        unknown = [s for s in names if s not in SERVICES]
        if unknown:
            raise ValueError(f"unknown services {unknown}; known: {sorted(SERVICES)}")
        self.requested = names
        self.timeout = timeout
        self.lab = Lab([], tag=_tag())
        self.ns = f"{self.lab.prefix}-srv"
        self.client_ns = self.lab.scan_ns
        self.ip = DAEMON_IP
        self.client_ip = CLIENT_IP
        self.ports: dict[str, int] = {}
        self.protos: dict[str, str] = {}
        self.tmpdir = ""
        self.cert = self.key = ""
        self.startup_seconds = 0.0
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self._logs: dict[str, list[str]] = {}

    # -- building ---------------------------------------------------------------------------
    def up(self) -> DaemonLab:
        """Build the namespaces and start the daemons (all or nothing)."""
        t0 = time.monotonic()
        cleanup_stale()
        _cleanup_stale_tmpdirs()
        for ns in _netns_list():  # a namespace of a dead run whose pid we got again
            if ns.startswith(self.lab.prefix + "-"):
                _delete_ns(ns)
        atexit.register(self.down)
        _live.append(self)
        _install_sigterm_handler()
        try:
            self.lab.up()
            self.lab._ns(self.ns)
            self.lab._member(self.ns, 1, self.ip)
            # closed UDP ports answer at once; daemons that drop root may still bind
            self.lab.ex(self.ns, "sysctl", "-qw", "net.ipv4.icmp_ratelimit=0",
                        "net.ipv4.ip_unprivileged_port_start=0")
            self.tmpdir = tempfile.mkdtemp(prefix=f"{_TMP_PREFIX}{os.getpid()}-")
            os.chmod(self.tmpdir, 0o755)
            self.cert, self.key = make_cert(self.tmpdir)
            self.add(self.requested)
        except BaseException:
            self.down()
            raise
        self.startup_seconds = time.monotonic() - t0
        return self

    def add(self, services: Sequence[str]) -> None:
        """Start the daemons of ``services`` that are not running yet and wait for them."""
        daemons: list[str] = []
        for s in services:
            d = SERVICES[s].daemon
            if d not in self.procs and d not in daemons:
                daemons.append(d)
        missing = [d for d in daemons if not DAEMONS[d].installed()]
        if missing:
            pk = " ".join(DAEMONS[d].package for d in missing)
            raise DaemonError(f"not installed: {', '.join(missing)} (apt-get install {pk})")
        try:
            for d in daemons:
                self._start(d)
            self._wait(daemons)
        except BaseException:
            # a later add() may try again; the lab's other daemons keep running
            for d in daemons:
                p = self.procs.pop(d, None)
                if p is not None:
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.killpg(p.pid, signal.SIGKILL)
                    with contextlib.suppress(Exception):
                        p.wait(timeout=5)
            raise
        for d in daemons:
            for s in DAEMONS[d].services:
                self.ports[s] = SERVICES[s].port
                self.protos[s] = SERVICES[s].proto

    def _start(self, name: str) -> None:
        launch = _configure(name, self.tmpdir, self.cert, self.key)
        out = os.path.join(self.tmpdir, f"{name}.out")
        self._logs[name] = [out, *launch.logs]
        env = {**os.environ, **(launch.env or {})}
        with open(out, "wb") as f:
            self.procs[name] = subprocess.Popen(
                ["ip", "netns", "exec", self.ns, *launch.argv], stdin=subprocess.DEVNULL,
                stdout=f, stderr=subprocess.STDOUT, env=env, cwd=self.tmpdir,
                start_new_session=True)

    def _wait(self, daemons: list[str]) -> None:
        pending = {s: SERVICES[s] for d in daemons for s in DAEMONS[d].services}
        deadline = time.monotonic() + self.timeout
        last_err: dict[str, str] = {}
        while pending:
            for name, svc in list(pending.items()):
                p = self.procs[svc.daemon]
                if p.poll() is not None:
                    raise DaemonError(self._failure(svc.daemon,
                                                    f"exited with status {p.returncode}"))
                try:
                    _check(self.ns, svc, 1.0)
                    del pending[name]
                except (OSError, ConnectionError) as e:
                    last_err[name] = f"{type(e).__name__}: {e}"
            if not pending:
                break
            if time.monotonic() > deadline:
                svc = next(iter(pending.values()))
                raise DaemonError(self._failure(
                    svc.daemon, f"not ready after {self.timeout:.0f} s "
                    f"({svc.name} {svc.port}/{svc.proto}: {last_err.get(svc.name)})"))
            time.sleep(0.1)

    def _failure(self, daemon: str, what: str) -> str:
        parts = [f"daemon {daemon} ({', '.join(DAEMONS[daemon].services)}) {what}"]
        for path in self._logs.get(daemon, []):
            tail = _tail(path)
            if tail:
                parts.append(f"{path}:\n{tail}")
        return "\n".join(parts)

    # -- using ------------------------------------------------------------------------------
    def run(self, cmd: list[str], timeout: float = 300, ns: str | None = None,
            **kw: object) -> subprocess.CompletedProcess[str]:
        """Run ``cmd`` inside the daemon namespace (or ``ns``), output captured as text."""
        return subprocess.run(["ip", "netns", "exec", ns or self.ns, *cmd],
                              capture_output=True, text=True, timeout=timeout,
                              **kw)  # type: ignore[call-overload]

    def run_client(self, cmd: list[str], timeout: float = 300, **kw: object
                   ) -> subprocess.CompletedProcess[str]:
        """Run ``cmd`` in the client namespace (reaches the daemons at ``self.ip``)."""
        return self.run(cmd, timeout=timeout, ns=self.client_ns, **kw)

    def socket(self, family: int = socket.AF_INET, type: int = socket.SOCK_STREAM,
               client: bool = False) -> socket.socket:
        """A socket inside the daemon namespace (``client=True``: the client namespace)."""
        return netns_socket(self.client_ns if client else self.ns, family, type)

    def log_tail(self, daemon: str, n: int = 15) -> str:
        """The last ``n`` lines of each of ``daemon``'s logs."""
        return "\n".join(f"{p}:\n{_tail(p, n)}" for p in self._logs.get(daemon, []))

    def describe(self) -> dict[str, object]:
        """JSON-able description (command line, reports)."""
        return {"ns": self.ns, "ip": self.ip, "client_ns": self.client_ns,
                "client_ip": self.client_ip, "ports": self.ports, "protos": self.protos,
                "tmpdir": self.tmpdir, "pid": os.getpid(),
                "startup_seconds": round(self.startup_seconds, 2),
                "daemons": {d: p.pid for d, p in self.procs.items()}}

    # -- teardown -------------------------------------------------------------------------
    def down(self) -> None:
        """Kill every daemon, delete the namespaces and the temp dir (idempotent)."""
        for p in self.procs.values():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(p.pid, signal.SIGKILL)
        # forked daemons (nginx workers, dovecot children, exim, mariadbd) have other
        # process groups: every process of the namespace goes (Lab.down kills them too)
        _delete_ns(self.ns)
        self.lab.down()
        for p in self.procs.values():
            with contextlib.suppress(Exception):
                p.wait(timeout=5)
        self.procs.clear()
        self.ports.clear()
        self.protos.clear()
        if self.tmpdir:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = ""
        with contextlib.suppress(Exception):
            atexit.unregister(self.down)
        if self in _live:
            _live.remove(self)

    def __enter__(self) -> DaemonLab:
        return self.up()

    def __exit__(self, *exc: object) -> None:
        self.down()


# -- one lab per process (pytest sessions) ----------------------------------------------------

_shared: DaemonLab | None = None
_shared_users = 0


def shared(services: Sequence[str] | None = None) -> DaemonLab:
    """The process-wide lab, started on first use; later calls start the daemons of
    further ``services`` in the same lab.  Pair every call with :func:`release`."""
    global _shared, _shared_users
    want = list(services) if services is not None else list(SERVICES)
    if _shared is None:
        _shared = DaemonLab(want).up()
    else:
        _shared.add([s for s in want if s not in _shared.ports])
    _shared_users += 1
    return _shared


def release() -> None:
    """One user of :func:`shared` is done; the last one tears the lab down."""
    global _shared, _shared_users
    _shared_users -= 1
    if _shared_users <= 0 and _shared is not None:
        _shared.down()
        _shared, _shared_users = None, 0


def daemon_lab_fixture(services: Sequence[str] | None = None, name: str = "daemon_lab"
                       ) -> Callable[..., Iterator[DaemonLab]]:
    """A session-scoped pytest fixture yielding the shared lab with ``services`` running
    (skips the test when not root or a daemon is not installed)."""
    import pytest

    @pytest.fixture(scope="session", name=name)
    def _fixture() -> Iterator[DaemonLab]:
        if os.geteuid() != 0 or not shutil.which("ip"):
            pytest.skip("needs root and ip")
        want = list(services) if services is not None else list(SERVICES)
        absent = [s for s in want if s not in available_services()]
        if absent:
            pytest.skip(f"daemons not installed for {absent}")
        lab = shared(want)
        try:
            yield lab
        finally:
            release()

    return _fixture


# -- command line ---------------------------------------------------------------------------

def _running() -> list[dict[str, object]]:
    labs = []
    for ns in _netns_list():
        m = re.match(r"^nl(\d+)(dm[a-z]*)-srv$", ns)
        if not m:
            continue
        ss = subprocess.run(["ip", "netns", "exec", ns, "ss", "-Hlntu"], capture_output=True,
                            text=True).stdout
        ports = sorted({f"{ln.split()[4].rsplit(':', 1)[1]}/{ln.split()[0]}"
                        for ln in ss.splitlines() if len(ln.split()) > 4})
        labs.append({"ns": ns, "owner_pid": int(m.group(1)),
                     "owner_alive": os.path.exists(f"/proc/{m.group(1)}"),
                     "listening": ports})
    return labs


def _is_cli(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"tools.lab.daemons\0up\0" in f.read()
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    """``up`` starts a lab and keeps it until Ctrl-C / SIGTERM (``--detach``: in the
    background); ``status`` lists running daemon labs; ``down`` stops detached labs
    (SIGTERM to their owner) and removes stale ones."""
    ap = argparse.ArgumentParser(prog="python -m tools.lab.daemons")
    sub = ap.add_subparsers(dest="cmd", required=True)
    u = sub.add_parser("up")
    u.add_argument("--services", default="", help="comma separated (default: all installed)")
    u.add_argument("--detach", action="store_true", help="keep the lab in the background")
    sub.add_parser("status")
    d = sub.add_parser("down")
    d.add_argument("--ns", help="only this lab (default: every lab started by this command)")
    a = ap.parse_args(argv)
    if os.geteuid() != 0:
        print("needs root", file=sys.stderr)
        return 2
    if a.cmd == "status":
        print(json.dumps(_running(), indent=1))
        return 0
    if a.cmd == "down":
        # only labs owned by "python -m tools.lab.daemons up" (never a test session's)
        mine = [lab for lab in _running() if lab["owner_alive"]
                and (a.ns is None or lab["ns"] == a.ns) and _is_cli(int(lab["owner_pid"]))]
        for lab in mine:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(lab["owner_pid"]), signal.SIGTERM)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and {lab["ns"] for lab in mine} & set(_netns_list()):
            time.sleep(0.2)
        removed = cleanup_stale() + _cleanup_stale_tmpdirs()
        print("\n".join(removed))
        return 0
    services = [s for s in a.services.split(",") if s] or available_services()
    if a.detach:
        # the child must not keep our stderr: whoever waits for our output would wait
        # for the lab's end; its errors go to a file shown when it fails
        with tempfile.TemporaryFile("w+") as err:
            p = subprocess.Popen([sys.executable, "-m", "tools.lab.daemons", "up",
                                  "--services", ",".join(services)], stdout=subprocess.PIPE,
                                 stderr=err, stdin=subprocess.DEVNULL, start_new_session=True,
                                 text=True, cwd=os.path.dirname(os.path.dirname(
                                     os.path.dirname(os.path.abspath(__file__)))))
            assert p.stdout is not None
            out = p.stdout.read()  # the child closes its stdout once the lab is up
            print(out, end="")
            if out.strip():
                return 0
            p.wait()
            err.seek(0)
            print(err.read(), end="", file=sys.stderr)
            return 1
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with DaemonLab(services) as lab:
        print(json.dumps(lab.describe(), indent=1), flush=True)
        # the standard streams never close their fd: replace it, so that a --detach
        # parent reading our output sees its end
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
