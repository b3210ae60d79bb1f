"""redis-noauth: does a Redis server answer commands without a password?

Written directly in Python (not converted from Lua): an example of a script that talks
to a socket itself through ``nmap.new_socket``.
"""

from __future__ import annotations

from typing import Any

from nse.lib import nmap, shortport, stdnse

description = """
Sends PING to a Redis server and tells whether it answers without authentication
(anyone who can reach it can read and change its data).
"""
author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = ["default", "safe", "auth"]

portrule = shortport.port_or_service(6379, "redis")


def action(host: Any, port: Any) -> Any:
    sock = nmap.new_socket()
    sock.set_timeout(5000)
    ok, *_ = stdnse_tuple(sock.connect(host, port))
    if not ok:
        return None
    try:
        sock.send("*1\r\n$4\r\nPING\r\n")
        ok, line = stdnse_tuple(sock.receive_buf("\r\n", False))[:2]
    finally:
        sock.close()
    if not ok:
        return None
    if line == "+PONG":
        return "Redis answers commands without authentication"
    if line.startswith(("-NOAUTH", "-ERR operation not permitted")):
        stdnse.debug1("authentication required: %s", line)
        return None
    return None


def stdnse_tuple(v: Any) -> tuple[Any, ...]:
    """Library calls return one value bare, several as a tuple: always a tuple here."""
    return v if isinstance(v, tuple) else (v, None)
