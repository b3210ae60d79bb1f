"""MAC address vendors, from nmap's ``nmap-mac-prefixes`` when a data directory has it.

Only read at run time (DESIGN.md "Data files"); without nmap's file every vendor is
unknown, which is also what nmap prints for locally administered addresses.
"""

from __future__ import annotations

import os

from nse.scan.services import datadir_candidates

__all__ = ["mac_vendor"]

_table: dict[str, str] | None = None


def _load(datadir: str | None) -> dict[str, str]:
    for d in datadir_candidates(datadir):
        path = os.path.join(d, "nmap-mac-prefixes")
        if os.path.isfile(path):
            table: dict[str, str] = {}
            try:
                with open(path, encoding="latin-1") as f:
                    for line in f:
                        if line.startswith("#"):
                            continue
                        prefix, _, vendor = line.strip().partition(" ")
                        if prefix and vendor:
                            table[prefix.upper()] = vendor
            except OSError:
                continue
            return table
    return {}


def mac_vendor(mac: bytes, datadir: str | None = None) -> str | None:
    """The vendor registered for the first bytes of ``mac`` (longest prefix), or None."""
    global _table
    if _table is None:
        _table = _load(datadir)
    text = mac.hex().upper()
    for n in (9, 7, 6):  # nmap's file has 24-, 28- and 36-bit prefixes
        v = _table.get(text[:n])
        if v:
            return v
    return None
