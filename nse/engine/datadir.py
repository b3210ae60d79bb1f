"""The engine's view of the data directories: a re-export of :mod:`nse.lib.datadir`.

The search rule lives in one place, :mod:`nse.lib.datadir` (see its docstring): nmap's
order (``--datadir``, ``$NMAPDIR``, ``~/.nmap``, ``/usr/share/nmap``, the current
directory), except that naming a data directory (``--datadir`` or ``$NMAPDIR``) leaves
``/usr/share/nmap`` out, so that our own scripts and data are what runs.  A script named
on the command line is first looked up as ``scripts/<name>`` in those directories, then
as a path of its own (``nse_fetchscript``, :meth:`DataDirs.fetchscript`).
"""

from __future__ import annotations

from nse.lib.datadir import SYSTEM_DATADIR, DataDirs

__all__ = ["DataDirs", "DEFAULT_NMAP_DATADIR"]

#: nmap's installation directory (kept under its former name).
DEFAULT_NMAP_DATADIR = SYSTEM_DATADIR
