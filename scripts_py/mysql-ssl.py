"""mysql-ssl: does a MySQL/MariaDB server offer TLS?

Written directly in Python: an example of reading a library's result table (the
greeting decoded by ``mysql.receiveGreeting``) and testing flag bits.
"""

from __future__ import annotations

from typing import Any

from nse.lib import mysql, nmap, stdnse

description = """
Reads the greeting of a MySQL or MariaDB server and tells whether it offers TLS
(the CLIENT_SSL capability) and which authentication plugin it asks for.
"""
author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = ["default", "discovery", "safe"]


def portrule(host: Any, port: Any) -> bool:
    return (port["number"] == 3306 or port["service"] == "mysql") \
        and port["protocol"] == "tcp" and port["state"] == "open"


def action(host: Any, port: Any) -> Any:
    sock = nmap.new_socket()
    sock.set_timeout(5000)
    r = sock.connect(host, port)
    if not (r[0] if isinstance(r, tuple) else r):
        return None
    ok, info = mysql.receiveGreeting(sock)[:2]
    sock.close()
    if not ok:
        stdnse.debug1("no greeting: %s", info)
        return None
    out = stdnse.output_table()
    out["Version"] = info["version"]
    caps = info["capabilities"] or 0
    out["TLS"] = "offered" if caps & mysql.Capabilities["SwitchToSSLAfterHandshake"] \
        else "not offered"
    if info["auth_plugin_name"]:
        out["Auth plugin"] = info["auth_plugin_name"]
    return out
