"""smtp-starttls: does an SMTP server offer STARTTLS, and does the handshake work?

Written directly in Python: an example of using a protocol library (``smtp``) and of
returning structured output with ``stdnse.output_table``.
"""

from __future__ import annotations

import re
from typing import Any

from nse.lib import shortport, smtp, stdnse
from nse.lua.luatable import LuaTable

description = """
Tells whether an SMTP server announces STARTTLS (RFC 3207) in its EHLO answer and
whether a TLS handshake after STARTTLS succeeds.
"""
author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = ["discovery", "safe"]

portrule = shortport.port_or_service([25, 587], ["smtp", "submission"])


def _mv(v: Any) -> tuple[Any, ...]:
    return v if isinstance(v, tuple) else (v, None)


def action(host: Any, port: Any) -> Any:
    sock, _greeting = _mv(smtp.connect(host, port, LuaTable.from_dict(
        {"timeout": 10000, "recv_before": True})))[:2]
    if not sock:
        return None
    ok, reply = _mv(smtp.ehlo(sock, smtp.get_domain(host)))[:2]
    if not ok:
        return None
    out = stdnse.output_table()
    offered = re.search(r"^250[ -]STARTTLS\s*$", reply, re.M | re.I) is not None
    out["STARTTLS offered"] = "yes" if offered else "no"
    if offered:
        ok, err = _mv(smtp.starttls(sock))[:2]
        out["TLS handshake"] = "ok" if ok else f"failed ({err})"
        if ok:
            smtp.quit(sock)
    else:
        smtp.quit(sock)
    return out
