"""ftp-auth-tls: does an FTP server accept AUTH TLS (RFC 4217)?

Written directly in Python: an example of reusing the ``ftp`` library's control
connection helpers (``connect``, ``starttls``, ``close``).
"""

from __future__ import annotations

from typing import Any

from nse.lib import ftp, shortport, stdnse

description = """
Tells whether an FTP server accepts AUTH TLS, so that logins need not travel in clear
text.
"""
author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = ["default", "discovery", "safe"]

portrule = shortport.port_or_service([21], ["ftp"])


def action(host: Any, port: Any) -> Any:
    res = ftp.connect(host, port)
    sock, code = res[0], res[1]
    if not sock or code != 220:
        return None
    buffer = res[3]
    ok, message = ftp.starttls(sock, buffer)[:2]
    if ok:
        sock.close()
        return "AUTH TLS accepted"
    stdnse.debug1("AUTH TLS: %s", message)
    ftp.close(sock)
    return "AUTH TLS refused: plain-text logins only"
