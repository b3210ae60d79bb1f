"""http-hsts: the Strict-Transport-Security policy of a web site.

Written directly in Python: an example of using the ``http`` library and of returning
a table for XML/JSON plus a string for normal output.
"""

from __future__ import annotations

import re
from typing import Any

from nse.lib import http, shortport, stdnse

description = """
Shows a site's HTTP Strict Transport Security policy (RFC 6797): max-age in days,
includeSubDomains and preload; says so when an HTTPS site sends none.
"""
author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = ["discovery", "safe"]

portrule = shortport.http


def action(host: Any, port: Any) -> Any:
    resp = http.get(host, port, "/")
    if not resp["status"]:
        return None
    header = resp["header"]["strict-transport-security"] if resp["header"] else None
    if not header:
        if shortport.ssl(host, port):
            return "No Strict-Transport-Security header on an HTTPS site"
        return None
    out = stdnse.output_table()
    m = re.search(r"max-age\s*=\s*\"?(\d+)", header, re.I)
    if m:
        out["max-age"] = int(m.group(1))
    out["includeSubDomains"] = bool(re.search(r"includesubdomains", header, re.I))
    out["preload"] = bool(re.search(r"\bpreload\b", header, re.I))
    parts = []
    if m:
        parts.append(f"max-age {int(m.group(1)) // 86400} days")
    if out["includeSubDomains"]:
        parts.append("includeSubDomains")
    if out["preload"]:
        parts.append("preload")
    return out, ", ".join(parts) if parts else header
