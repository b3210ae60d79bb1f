"""Real Debian daemons in a private network namespace, on their usual ports (needs root).

``python -m tools.bench.version.daemons [--json OUT]`` builds namespace ``nsev<pid>``
(loopback only), starts every daemon that is installed (nginx with HTTP and HTTPS, sshd,
vsftpd, proftpd, exim4, dovecot imap+pop3, redis, memcached, mariadb, lighttpd, dnsmasq, snmpd,
telnetd via inetutils-inetd), then runs ``compare`` inside the namespace: ``nmap -sV``
and ours on the same ports of 127.0.0.1 in that namespace.  Everything is torn down at
the end.  Daemons that are not installed are skipped and listed.  The project's shared lab
(tools/lab) is another helper's; this is a self-contained stand-in until it has daemons.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


@dataclass
class Spec:
    label: str
    proto: str
    port: int
    binary: str
    argv: list[str]
    setup: list[list[str]] = field(default_factory=list)


def _w(path: str, text: str) -> str:
    with open(path, "w") as f:
        f.write(text)
    return path


def specs(tmp: str) -> list[Spec]:
    """The daemons and how to run them in the foreground with configs under ``tmp``."""
    sys.path.insert(0, ROOT)
    from tests.vscan.servers import make_cert

    cert, key = make_cert(tmp)
    os.makedirs(os.path.join(tmp, "www"), exist_ok=True)
    _w(os.path.join(tmp, "www", "index.html"), "<html><title>lab</title></html>\n")
    nginx = _w(os.path.join(tmp, "nginx.conf"), f"""
worker_processes 1; pid {tmp}/nginx.pid; error_log {tmp}/nginx.err;
events {{ worker_connections 64; }}
http {{ access_log off; client_body_temp_path {tmp}; proxy_temp_path {tmp};
  fastcgi_temp_path {tmp}; uwsgi_temp_path {tmp}; scgi_temp_path {tmp};
  server {{ listen 127.0.0.1:80; root {tmp}/www; }}
  server {{ listen 127.0.0.1:443 ssl; ssl_certificate {cert}; ssl_certificate_key {key};
           root {tmp}/www; }} }}
""")
    lighttpd = _w(os.path.join(tmp, "lighttpd.conf"), f"""
server.document-root = "{tmp}/www"
server.port = 8080
server.bind = "127.0.0.1"
server.pid-file = "{tmp}/lighttpd.pid"
server.errorlog = "{tmp}/lighttpd.err"
""")
    proftpd = _w(os.path.join(tmp, "proftpd.conf"), f"""
ServerName "lab"
ServerType standalone
Port 2121
DefaultAddress 127.0.0.1
User root
Group root
PidFile {tmp}/proftpd.pid
ScoreboardFile {tmp}/proftpd.score
UseIPv6 off
WtmpLog off
""")
    dovecot = _w(os.path.join(tmp, "dovecot.conf"), f"""
protocols = imap pop3
listen = 127.0.0.1
base_dir = {tmp}/dovecot
state_dir = {tmp}/dovecot-state
ssl = no
mail_location = maildir:{tmp}/mail/%u
passdb {{
  driver = static
  args = password=x
}}
userdb {{
  driver = static
  args = uid=root gid=root home={tmp}/mail/%u
}}
log_path = {tmp}/dovecot.log
""")
    vsftpd = _w(os.path.join(tmp, "vsftpd.conf"), f"""listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=21
anonymous_enable=NO
local_enable=YES
background=NO
seccomp_sandbox=NO
secure_chroot_dir={tmp}/empty
""")
    snmpd = _w(os.path.join(tmp, "snmpd.conf"), "rocommunity public 127.0.0.1\n")
    inetd = _w(os.path.join(tmp, "inetd.conf"),
               "telnet stream tcp nowait root /usr/sbin/telnetd telnetd\n")
    return [
        Spec("nginx", "tcp", 80, "nginx", ["nginx", "-c", nginx, "-g", "daemon off;"]),
        Spec("nginx-https", "tcp", 443, "", []),  # served by the nginx above
        Spec("sshd", "tcp", 22, "/usr/sbin/sshd",
             ["/usr/sbin/sshd", "-D", "-f", "/dev/null", "-h", f"{tmp}/ssh_host_ed25519_key",
              "-o", "ListenAddress=127.0.0.1", "-o", f"PidFile={tmp}/sshd.pid"],
             [["mkdir", "-p", "/run/sshd"],
              ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
               f"{tmp}/ssh_host_ed25519_key"]]),
        Spec("vsftpd", "tcp", 21, "/usr/sbin/vsftpd", ["/usr/sbin/vsftpd", vsftpd],
             [["mkdir", "-p", f"{tmp}/empty"]]),
        Spec("proftpd", "tcp", 2121, "proftpd", ["proftpd", "-n", "-q", "-c", proftpd]),
        Spec("exim4", "tcp", 25, "exim4", ["exim4", "-bdf", "-oX", "25",
                                           "-oP", f"{tmp}/exim.pid"]),
        Spec("dovecot-imap", "tcp", 143, "dovecot", ["dovecot", "-F", "-c", dovecot],
             [["mkdir", "-p", f"{tmp}/dovecot", f"{tmp}/dovecot-state", f"{tmp}/mail"]]),
        Spec("dovecot-pop3", "tcp", 110, "", []),
        Spec("redis", "tcp", 6379, "redis-server",
             ["redis-server", "--port", "6379", "--bind", "127.0.0.1", "--save", "",
              "--dir", tmp, "--daemonize", "no", "--protected-mode", "no"]),
        Spec("memcached", "tcp", 11211, "memcached",
             ["memcached", "-u", "root", "-l", "127.0.0.1", "-p", "11211", "-U", "0"]),
        Spec("mariadb", "tcp", 3306, "mariadbd",
             ["mariadbd", "--no-defaults", f"--datadir={tmp}/db", f"--socket={tmp}/my.sock",
              "--port=3306", "--bind-address=127.0.0.1", "--user=root",
              f"--pid-file={tmp}/my.pid", "--skip-log-bin"],
             [["mariadb-install-db", "--no-defaults", f"--datadir={tmp}/db", "--user=root",
               "--auth-root-authentication-method=normal", "--skip-test-db"]]),
        Spec("lighttpd", "tcp", 8080, "lighttpd", ["lighttpd", "-D", "-f", lighttpd]),
        Spec("telnetd", "tcp", 23, "/usr/sbin/telnetd",
             ["/usr/sbin/inetutils-inetd", "-d", inetd]),
        Spec("dnsmasq", "udp", 53, "dnsmasq",
             ["dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts",
              "--conf-file=/dev/null", "--listen-address=127.0.0.1", "--bind-interfaces",
              "--port=53", "--user=root", f"--pid-file={tmp}/dnsmasq.pid"]),
        Spec("dnsmasq-tcp", "tcp", 53, "", []),
        Spec("snmpd", "udp", 161, "snmpd",
             ["snmpd", "-f", "-Lo", "-C", "-c", snmpd, "-p", f"{tmp}/snmpd.pid",
              "udp:127.0.0.1:161"]),
    ]


class DaemonLab:
    """The namespace and its daemons; a context manager."""

    def __init__(self, skip: list[str] | None = None) -> None:
        self.skip = set(skip or [])
        self.ns = f"nsev{os.getpid()}"
        self.tmp = tempfile.mkdtemp(prefix="nsev-")
        os.chmod(self.tmp, 0o755)
        self.procs: list[subprocess.Popen[bytes]] = []
        self.ports: list[tuple[str, str, int]] = []  # (label, proto, port)
        self.missing: list[str] = []

    def ex(self, *cmd: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["ip", "netns", "exec", self.ns, *cmd], capture_output=True,
                              text=True, timeout=120)

    def __enter__(self) -> DaemonLab:
        subprocess.run(["ip", "netns", "add", self.ns], check=True)
        subprocess.run(["ip", "-n", self.ns, "link", "set", "lo", "up"], check=True)
        previous = ""
        for s in specs(self.tmp):
            if not s.binary:  # a second port of the previous daemon
                if previous:
                    self.ports.append((s.label, s.proto, s.port))
                continue
            previous = ""
            if s.label in self.skip:
                continue
            if not shutil.which(s.binary):
                self.missing.append(s.label)
                continue
            ok = all(self.ex(*cmd).returncode == 0 for cmd in s.setup)
            if not ok:
                self.missing.append(s.label + " (setup failed)")
                continue
            self.procs.append(subprocess.Popen(
                ["ip", "netns", "exec", self.ns, *s.argv], stdout=subprocess.DEVNULL,
                stderr=open(os.path.join(self.tmp, s.label + ".stderr"), "wb")))
            self.ports.append((s.label, s.proto, s.port))
            previous = s.label
        self._wait()
        return self

    def _wait(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            out = self.ex("ss", "-Hlnut").stdout
            bound = {(ln.split()[0], ln.split()[4].rsplit(":", 1)[1]) for ln in out.splitlines()
                     if len(ln.split()) > 4}
            waiting = [(lb, pr, pt) for lb, pr, pt in self.ports
                       if (pr, str(pt)) not in bound]
            if not waiting:
                return
            time.sleep(0.2)
        for lb, pr, pt in waiting:
            self.missing.append(f"{lb} (did not bind {pt}/{pr})")
            self.ports.remove((lb, pr, pt))

    def __exit__(self, *exc: object) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        # daemons that fork (exim, mariadb children, inetd's telnetd) are ended with the
        # namespace's processes, by pid
        pids = subprocess.run(["ip", "netns", "pids", self.ns], capture_output=True,
                              text=True).stdout.split()
        for pid in pids:
            try:
                os.kill(int(pid), 15)
            except (ProcessLookupError, ValueError):
                pass
        time.sleep(0.5)
        subprocess.run(["ip", "netns", "del", self.ns], check=False)
        shutil.rmtree(self.tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="nmap -sV vs ours on real daemons")
    ap.add_argument("--json")
    ap.add_argument("-T", dest="level", type=int, default=3)
    ap.add_argument("--versiondb")
    ap.add_argument("--skip", action="append", default=[], help="daemon label to leave out")
    ap.add_argument("--shared-lab", action="store_true",
                    help="use the project's lab (tools/lab/daemons.py): scan its daemon "
                         "namespace over the lab bridge from its client namespace")
    a = ap.parse_args(argv)
    if os.geteuid() != 0:
        print("needs root (network namespace)", file=sys.stderr)
        return 2
    if a.shared_lab:
        return _shared_lab(a)
    with DaemonLab(a.skip) as lab:
        tcp = sorted({pt for _, pr, pt in lab.ports if pr == "tcp"})
        udp = sorted({pt for _, pr, pt in lab.ports if pr == "udp"})
        cmd = [sys.executable, "-m", "tools.bench.version.compare", "--target", "127.0.0.1",
               f"-T{a.level}"]
        if a.versiondb:
            cmd += ["--versiondb", a.versiondb]
        if a.json:
            cmd += ["--json", a.json]
        cmd += [s for s in ("T:" + ",".join(map(str, tcp)) if tcp else "",
                            "U:" + ",".join(map(str, udp)) if udp else "") if s]
        r = subprocess.run(["ip", "netns", "exec", lab.ns, *cmd], cwd=ROOT, text=True,
                           capture_output=True, timeout=1200)
        labels = {f"{pt}/{pr}": lb for lb, pr, pt in lab.ports}
        for line in r.stdout.splitlines():
            key = line.split(" ", 1)[0]
            print(f"{line}  [{labels[key]}]" if key in labels else line)
        if r.returncode:
            print(r.stderr, file=sys.stderr)
        if lab.missing:
            print("not running: " + ", ".join(lab.missing))
        return r.returncode


def _shared_lab(a: argparse.Namespace) -> int:
    """The comparison against tools/lab's DaemonLab (every installed service)."""
    sys.path.insert(0, ROOT)
    from tools.lab.daemons import DaemonLab as SharedLab
    from tools.lab.daemons import available_services

    services = [s for s in available_services() if s not in a.skip]
    with SharedLab(services=services) as lab:
        tcp = sorted({pt for sv, pt in lab.ports.items() if lab.protos[sv] == "tcp"})
        udp = sorted({pt for sv, pt in lab.ports.items() if lab.protos[sv] == "udp"})
        cmd = [sys.executable, "-m", "tools.bench.version.compare", "--target", lab.ip,
               f"-T{a.level}"]
        if a.versiondb:
            cmd += ["--versiondb", a.versiondb]
        if a.json:
            cmd += ["--json", a.json]
        cmd += [s for s in ("T:" + ",".join(map(str, tcp)) if tcp else "",
                            "U:" + ",".join(map(str, udp)) if udp else "") if s]
        r = lab.run_client(cmd, timeout=1200, cwd=ROOT)
        names = {f"{pt}/{lab.protos[sv]}": sv for sv, pt in lab.ports.items()}
        for line in r.stdout.splitlines():
            key = line.split(" ", 1)[0]
            print(f"{line}  [{names[key]}]" if key in names else line)
        if r.returncode:
            print(r.stderr, file=sys.stderr)
        return r.returncode


if __name__ == "__main__":
    raise SystemExit(main())
