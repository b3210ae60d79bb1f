"""Run inside a fresh network namespace (``unshare -n``): fake services on their usual
ports of 127.0.0.1, then ``nse scan -sC`` with NMAPDIR pointing to an empty folder.
Prints nse's normal output.  Used by test_default_scan.py (acceptance 2)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TCP = {21: "ftp", 22: "ssh", 25: "smtp", 79: "finger", 80: "http", 110: "pop3", 143: "imap",
       443: "https", 3306: "mysql", 5900: "vnc", 6379: "redis", 11211: "memcached"}
UDP = {53: "domain", 123: "ntp", 161: "snmp"}


def main() -> int:
    import socket
    import threading

    from tests.scripts import fakes
    from tests.scripts.test_dns import name_server
    from tests.scripts.test_finger import test_finger as _unused  # noqa: F401
    from tests.scripts.test_ftp import ftp_server
    from tests.scripts.test_http import SITES, web
    from tests.scripts.test_kv import memcached_tcp, redis_server
    from tests.scripts.test_mail import (
        IMAP_CASES,
        POP3_CASES,
        SMTP_CASES,
        imap_server,
        pop3_server,
        smtp_server,
    )
    from tests.scripts.test_misc_services import mysql_greeting, ntp_server, vnc_server
    from tests.scripts.test_snmp import agent

    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)

    def bind_tcp(port: int, handler) -> None:  # type: ignore[no-untyped-def]
        srv = socket.socket()
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(("127.0.0.1", port))
        srv.listen(64)

        def loop() -> None:
            while True:
                c, _ = srv.accept()
                c.settimeout(10)

                def one(c: socket.socket = c) -> None:
                    try:
                        with c:
                            handler(fakes.Conn(c))
                    except OSError:
                        pass

                threading.Thread(target=one, daemon=True).start()

        threading.Thread(target=loop, daemon=True).start()

    def bind_udp(port: int, answer) -> None:  # type: ignore[no-untyped-def]
        srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        srv.bind(("127.0.0.1", port))

        def loop() -> None:
            while True:
                data, addr = srv.recvfrom(65535)
                try:
                    reply = answer(data)
                except Exception:
                    reply = None
                if reply:
                    srv.sendto(reply, addr)

        threading.Thread(target=loop, daemon=True).start()

    def mysql(c: fakes.Conn) -> None:
        c.send(mysql_greeting())
        c.recv()

    def finger(c: fakes.Conn) -> None:
        c.line()
        c.send(b"Login     Name       Tty\r\nroot      root      *tty1\r\n")

    bind_tcp(21, ftp_server())
    bind_tcp(25, smtp_server(*SMTP_CASES["exim-help"]))
    bind_tcp(79, finger)
    bind_tcp(80, web(SITES["robots"]))
    bind_tcp(110, pop3_server(*POP3_CASES["dovecot"]))
    bind_tcp(143, imap_server(IMAP_CASES["dovecot"]))
    bind_tcp(3306, mysql)
    bind_tcp(5900, vnc_server(b"RFB 003.008\n", [1, 2]))
    bind_tcp(6379, redis_server())
    bind_tcp(11211, memcached_tcp)
    bind_udp(53, name_server())
    bind_udp(123, ntp_server())
    bind_udp(161, agent())

    with ExitStack() as stack, tempfile.TemporaryDirectory() as empty:
        import paramiko
        from cryptography.hazmat.primitives.asymmetric import ec

        from tests.scripts.test_ssh import ssh2_server
        from tests.scripts.test_tls import make_cert, tls_server

        cert, key = make_cert(Path(empty), "rsa")
        os.makedirs(Path(empty) / "nmapdir")
        # the SSH and TLS helpers bind port 0: forward 22 and 443 to them
        sport = stack.enter_context(ssh2_server([paramiko.ECDSAKey.generate(
            curve=ec.SECP256R1())]))
        tport = stack.enter_context(tls_server(cert, key, alpn=["h2", "http/1.1"]))
        for listen, target in ((22, sport), (443, tport)):
            def relay(c: fakes.Conn, target: int = target) -> None:
                up = socket.create_connection(("127.0.0.1", target))

                def pump(a: socket.socket, b: socket.socket) -> None:
                    try:
                        while d := a.recv(65536):
                            b.sendall(d)
                    except OSError:
                        pass
                    finally:
                        try:
                            b.shutdown(socket.SHUT_WR)
                        except OSError:
                            pass

                t = threading.Thread(target=pump, args=(up, c.sock), daemon=True)
                t.start()
                pump(c.sock, up)
                t.join(10)

            bind_tcp(listen, relay)
        env = dict(os.environ, NMAPDIR=str(Path(empty) / "nmapdir"))
        ports = "T:" + ",".join(map(str, TCP)) + ",U:" + ",".join(map(str, UDP))
        proc = subprocess.run(
            [str(ROOT / ".venv/bin/nse"), "scan", "-sT", "-sU", "-Pn", "-n", "-sC",
             "--script-timeout", "20s", "-p", ports, "127.0.0.1"],
            capture_output=True, text=True, env=env, timeout=240)
        sys.stdout.write(proc.stdout)
        sys.stderr.write(proc.stderr)
        return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
