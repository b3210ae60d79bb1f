"""redis-info, memcached-info: ours against nmap's on fake servers (RESP, memcached
text protocol over TCP and UDP)."""

from __future__ import annotations

import struct

import pytest

from . import fakes
from .harness import HAVE_NMAP, outputs

nmap = pytest.mark.skipif(not HAVE_NMAP, reason="nmap not installed")

INFO = ("# Server\r\nredis_version:7.0.11\r\nredis_mode:standalone\r\n"
        "os:Linux 6.1.0-9-amd64 x86_64\r\narch_bits:64\r\nprocess_id:4242\r\n"
        "uptime_in_seconds:100\r\n# Clients\r\nconnected_clients:3\r\n# Memory\r\n"
        "used_memory_human:859.21K\r\n# Replication\r\nrole:master\r\nconnected_slaves:0\r\n"
        "# CPU\r\nused_cpu_sys:0.123456\r\nused_cpu_user:0.654321\r\n")


def _bulk(s: str | None) -> bytes:
    if s is None:
        return b"$-1\r\n"
    b = s.encode()
    return b"$%d\r\n%s\r\n" % (len(b), b)


def _array(items: list[str]) -> bytes:
    return b"*%d\r\n" % len(items) + b"".join(_bulk(i) for i in items)


def redis_server(auth: bool = False, channels: int = 2):
    def serve(c: fakes.Conn) -> None:
        while True:
            head = c.line()
            if head is None or not head.startswith("*"):
                return
            args = []
            for _ in range(int(head[1:])):
                n = int((c.line() or "$0")[1:])
                args.append(c.recv_exact(n + 2)[:-2].decode())
            cmd = " ".join(args[:2]).upper()
            if auth and args[0].upper() != "AUTH":
                c.send(b"-NOAUTH Authentication required.\r\n")
            elif cmd == "PING":
                c.send(b"+PONG\r\n")
            elif cmd == "INFO":
                c.send(_bulk(INFO))
            elif cmd == "CONFIG GET":
                c.send(_array(["bind", "127.0.0.1 -::1"]))
            elif cmd == "PUBSUB CHANNELS":
                c.send(_array([f"chan{i}" for i in range(channels)]))
            elif cmd == "CLIENT LIST":
                c.send(_bulk("id=3 addr=127.0.0.1:50000 laddr=127.0.0.1:6379 fd=8 name=\n"
                             "id=4 addr=10.0.0.2:40000 fd=9 name=\n"
                             "id=5 addr=127.0.0.1:50002 fd=10 name=\n"
                             "id=6 addr=[::1]:40001 fd=11 name=\n"))
            else:
                c.send(b"-ERR This instance has cluster support disabled\r\n")

    return serve


@nmap
@pytest.mark.nmap
@pytest.mark.parametrize("case", ["open", "many-channels", "auth"])
def test_redis_info(case: str) -> None:
    srv = redis_server(auth=case == "auth", channels=25 if case == "many-channels" else 2)
    with fakes.tcp(srv) as port:
        want, lua, twin = outputs("redis-info", port, "redis")
    # "Authentication required" is a format_output(false) error: printed only with -d
    assert want or case == "auth"
    assert lua == want
    assert twin == lua


STATS = ("STAT pid 18568\r\nSTAT uptime 6950\r\nSTAT time 1700000000\r\n"
         "STAT version 1.6.18\r\nSTAT pointer_size 64\r\nSTAT rusage_user 0.172010\r\n"
         "STAT rusage_system 0.200012\r\nSTAT curr_connections 10\r\n"
         "STAT total_connections 78\r\nEND\r\n")
SETTINGS = ("STAT maxconns 1024\r\nSTAT tcpport 11211\r\nSTAT udpport 0\r\n"
            "STAT auth_enabled_sasl no\r\nEND\r\n")


def _memcached_reply(cmd: bytes) -> bytes:
    if cmd.startswith(b"stats settings"):
        return SETTINGS.encode()
    if cmd.startswith(b"stats"):
        return STATS.encode()
    return b"ERROR\r\n"


def memcached_tcp(c: fakes.Conn) -> None:
    while (line := c.line()) is not None:
        c.send(_memcached_reply(line.encode()))


def memcached_udp(data: bytes) -> bytes | None:
    if len(data) < 8:
        return None
    req_id = struct.unpack(">H", data[:2])[0]
    return struct.pack(">HHHH", req_id, 0, 1, 0) + _memcached_reply(data[8:])


@nmap
@pytest.mark.nmap
def test_memcached_info_tcp() -> None:
    with fakes.tcp(memcached_tcp) as port:
        want, lua, twin = outputs("memcached-info", port, "memcached")
    assert "Process ID: 18568" in want
    assert lua == want
    assert twin == lua


@nmap
@pytest.mark.nmap
def test_memcached_info_udp() -> None:
    with fakes.udp(memcached_udp) as port:
        want, lua, twin = outputs("memcached-info", port, "memcached", proto="udp")
    assert "Process ID: 18568" in want
    assert lua == want
    assert twin == lua
