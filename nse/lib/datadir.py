"""Where nmap data files are found (``nmap.fetchfile`` for library code).

Search order, as nmap's ``nmap_fetchfile``: ``--datadir`` (:func:`set_datadir`),
``$NMAPDIR``, ``~/.nmap``, ``/usr/share/nmap``, then the current directory; last of all
this package's own ``data/`` directory, which holds small files written for this project
(default username/password lists) for machines without nmap.  nmap's own data files are
never copied here: they are read from an nmap data directory when there is one.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["set_datadir", "search_dirs", "fetchfile", "OWN_DATA"]
__nselib__ = False  # a Python helper, not a Lua module

#: This project's own data files (written here, not nmap's).
OWN_DATA = str(Path(__file__).with_name("data"))
_SYSTEM = "/usr/share/nmap"
_datadir: str | None = None


def set_datadir(path: str | None) -> None:
    """Set (or clear) the ``--datadir`` directory."""
    global _datadir
    _datadir = path


def search_dirs(include_own: bool = True) -> list[str]:
    """The directories searched, in order (existing ones only)."""
    cands = []
    if _datadir:
        cands.append(_datadir)
    if os.environ.get("NMAPDIR"):
        cands.append(os.environ["NMAPDIR"])
    home = os.environ.get("HOME")
    if home:
        cands.append(os.path.join(home, ".nmap"))
    cands.append(_SYSTEM)
    cands.append(os.getcwd())
    if include_own:
        cands.append(OWN_DATA)
    out: list[str] = []
    for c in cands:
        if os.path.isdir(c) and c not in out:
            out.append(c)
    return out


def fetchfile(name: str) -> str | None:
    """Path of data file ``name`` (like ``"nmap-services"`` or
    ``"nselib/data/usernames.lst"``), or None.  Our own data directory holds files under
    their base name."""
    if os.path.isabs(name):
        return name if os.path.isfile(name) else None
    for d in search_dirs(include_own=False):
        p = os.path.join(d, name)
        if os.path.isfile(p):
            return p
    own = os.path.join(OWN_DATA, os.path.basename(name))
    return own if os.path.isfile(own) else None
