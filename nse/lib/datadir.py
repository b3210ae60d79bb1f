"""Where data files are found: the one search rule of the whole program.

Every data-file lookup (the services table, the ``-sV`` probe file, the script database
and script files, nselib modules, ``nmap.fetchfile``-style library lookups, the XSL
stylesheet and MAC prefixes) goes through this module; :mod:`nse.engine.datadir` and
``nse.scan.services.datadir_candidates`` are thin wrappers around it.  It imports only the
standard library, so the scanner can use it without the Lua runtime.

Two kinds of directories
------------------------
* **nmap data directories** (:func:`nmap_dirs`): ``--datadir``, ``$NMAPDIR``, ``~/.nmap``
  and nmap's installation directory ``/usr/share/nmap``.  They hold nmap's own files
  (``nmap-services``, ``nmap-service-probes``, ``scripts/``, ``nselib/``), read at run time
  and never copied into this project (DESIGN.md "Data files").
* **our own data** (:func:`own_dirs`, :func:`own_file`), written for this project:
  ``scripts_py/`` (with its ``script.db``) and ``scripts_lua/``, ``nse/data/`` (the probe
  file ``nse-service-probes``), ``nse/lib/data/`` (user name and password lists).  The
  services table of our own is built into :mod:`nse.scan.services`.

The rule
--------
* Without ``--datadir`` and without ``$NMAPDIR``: ``~/.nmap``, ``/usr/share/nmap``, the
  current directory (nmap's order, ``nmap_fetchfile``), then our own data.
* With ``--datadir`` or ``$NMAPDIR`` (a non-empty value, whether or not the folder
  exists): ``--datadir``, ``$NMAPDIR``, ``~/.nmap``, the current directory, then our own
  data — **never** ``/usr/share/nmap``.

This deviates from nmap, which searches its installation directory after ``$NMAPDIR``
whatever ``$NMAPDIR`` holds.  We cannot follow it: nmap always has its own data installed,
we must also work without it, and the way the issues define "without any nmap data
directory" is ``NMAPDIR`` pointing to an empty folder.  With nmap's order such a run would
silently pick nmap's scripts, probes and services table whenever nmap happens to be
installed, so neither a user nor a test could ever see what our own data does.  Naming a
data directory therefore means "this and nothing of nmap's beyond it".
(docs/design-notes.md, "Naming a data directory hides /usr/share/nmap".)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "DataDirs", "SYSTEM_DATADIR", "OWN_DATA", "OWN_PROBES", "OWN_SCRIPTS_PY",
    "OWN_SCRIPTS_LUA", "set_datadir", "explicit", "nmap_dirs", "own_dirs", "own_file",
    "fetchfile", "search_dirs",
]
__nselib__ = False  # a Python helper, not a Lua module

#: nmap's installation directory on Debian (``NMAPDATADIR``).
SYSTEM_DATADIR = "/usr/share/nmap"
# read at call time (a test may point it elsewhere)
_SYSTEM = SYSTEM_DATADIR

_NSE = Path(__file__).resolve().parents[1]       # the nse package
_TOP = _NSE.parent                                # a source checkout or an installed tree
#: Our own lists (user names, passwords), nselib's ``nselib/data/`` counterpart.
OWN_DATA = str(_NSE / "lib" / "data")
#: Our own probe file, nmap's ``nmap-service-probes`` counterpart (same format).
OWN_PROBES = str(_NSE / "data" / "nse-service-probes")
#: Our scripts: the Python twins and Python scripts, with their ``script.db``.
OWN_SCRIPTS_PY = str(_TOP / "scripts_py")
#: Our scripts written in Lua.
OWN_SCRIPTS_LUA = str(_TOP / "scripts_lua")

_datadir: str | None = None


def set_datadir(path: str | None) -> None:
    """Set (or clear) the process-wide ``--datadir`` used by :func:`fetchfile` when no
    directory is passed to it."""
    global _datadir
    _datadir = path


def explicit(datadir: str | None = None, environ: Mapping[str, str] | None = None) -> bool:
    """True when the user named a data directory (``--datadir`` or ``$NMAPDIR``): then
    ``/usr/share/nmap`` is not searched (see the module docstring)."""
    env = os.environ if environ is None else environ
    return bool(datadir or _datadir or env.get("NMAPDIR"))


def nmap_dirs(datadir: str | None = None, *, environ: Mapping[str, str] | None = None,
              include_system: bool = True, existing: bool = True) -> list[str]:
    """The nmap data directories in effect, in search order, as absolute paths.

    ``datadir`` is ``--datadir`` (default: the one given to :func:`set_datadir`);
    ``environ`` replaces ``os.environ`` (``NMAPDIR``, ``HOME``).  ``/usr/share/nmap`` is
    included only when ``include_system`` and neither ``--datadir`` nor ``$NMAPDIR`` is
    given.  ``existing=False`` keeps directories that do not exist (for messages).
    """
    env = os.environ if environ is None else environ
    given = datadir or _datadir
    cands: list[str] = []
    if given:
        cands.append(given)
    if env.get("NMAPDIR"):
        cands.append(env["NMAPDIR"])
    if env.get("HOME"):
        cands.append(os.path.join(env["HOME"], ".nmap"))
    if include_system and not (given or env.get("NMAPDIR")):
        cands.append(_SYSTEM)
    out: list[str] = []
    for c in cands:
        c = os.path.abspath(c)
        if c not in out and (not existing or os.path.isdir(c)):
            out.append(c)
    return out


def own_dirs() -> list[str]:
    """Our own data directories that exist, in search order."""
    return [d for d in (OWN_SCRIPTS_PY, OWN_SCRIPTS_LUA, os.path.dirname(OWN_PROBES),
                        OWN_DATA) if os.path.isdir(d)]


def own_file(name: str) -> str | None:
    """Our own counterpart of nmap data file ``name`` (a path relative to an nmap data
    directory), or None.

    ``nmap-service-probes`` is ``nse/data/nse-service-probes``; ``scripts/X`` is
    ``scripts_py/X`` (``X.py`` for ``X.nse``) or ``scripts_lua/X``; ``nselib/data/X``
    and any other name is looked up by base name in ``nse/lib/data/`` then ``nse/data/``.
    ``nmap-services`` has no file: our table is built into :mod:`nse.scan.services`.
    """
    if os.path.isabs(name):
        return None
    rel = name.replace(os.sep, "/")
    cands: list[str] = []
    if rel == "nmap-service-probes":
        cands.append(OWN_PROBES)
    elif rel.startswith("scripts/") and rel != "scripts/":
        base = rel[len("scripts/"):]
        cands += [os.path.join(OWN_SCRIPTS_PY, base), os.path.join(OWN_SCRIPTS_LUA, base)]
        if base.endswith(".nse"):
            cands.append(os.path.join(OWN_SCRIPTS_PY, base[:-4] + ".py"))
    else:
        base = os.path.basename(rel)
        if base:
            cands += [os.path.join(OWN_DATA, base),
                      os.path.join(os.path.dirname(OWN_PROBES), base)]
    return next((c for c in cands if os.path.isfile(c)), None)


def fetchfile(name: str, datadir: str | None = None, *,
              environ: Mapping[str, str] | None = None, cwd: bool = True,
              own: bool = True) -> str | None:
    """Path of data file ``name`` (like ``"nmap-services"`` or
    ``"nselib/data/usernames.lst"``), or None: the nmap data directories, the current
    directory (``cwd``; nmap's last resort), then our own data (``own``).  An absolute
    ``name`` is returned when it is a file."""
    if os.path.isabs(name):
        return name if os.path.isfile(name) else None
    for d in nmap_dirs(datadir, environ=environ):
        p = os.path.join(d, name)
        if os.path.isfile(p):
            return p
    if cwd and os.path.isfile(name):
        return os.path.abspath(name)
    return own_file(name) if own else None


def search_dirs(include_own: bool = True, datadir: str | None = None) -> list[str]:
    """The directories searched by :func:`fetchfile`, in order (existing ones only).
    Our own directories do not share nmap's layout: :func:`own_file` maps names."""
    out = nmap_dirs(datadir)
    here = os.getcwd()
    if here not in out:
        out.append(here)
    if include_own:
        out += [d for d in own_dirs() if d not in out]
    return out


@dataclass
class DataDirs:
    """The ordered list of nmap data directories in effect (the engine's view).

    ``dirs`` holds nmap data directories only (``scripts/``, ``nselib/`` layout); our own
    scripts come from :data:`OWN_SCRIPTS_PY` through the script catalog, and
    :meth:`fetch_data` adds our own data files after ``dirs``.
    """

    dirs: list[str] = field(default_factory=list)

    @classmethod
    def discover(cls, datadir: str | None = None, *,
                 environ: Mapping[str, str] | None = None,
                 include_system: bool = True) -> DataDirs:
        """The existing directories searched under this module's rule: nmap's order,
        except that ``/usr/share/nmap`` is left out when ``--datadir`` or ``$NMAPDIR``
        is given (and when ``include_system`` is false)."""
        return cls(nmap_dirs(datadir, environ=environ, include_system=include_system))

    def fetchfile(self, name: str, *, cwd: bool = True) -> tuple[str | None, str]:
        """``(kind, path)`` with kind ``"file"``, ``"directory"`` or ``None``
        (nmap's ``nmap_fetchfile`` over ``dirs``, then the current directory)."""
        cands = [name] if os.path.isabs(name) else [os.path.join(d, name) for d in self.dirs]
        if cwd and not os.path.isabs(name):
            cands.append(os.path.abspath(name))
        for c in cands:
            if os.path.isfile(c):
                return "file", c
            if os.path.isdir(c):
                return "directory", c.rstrip("/") if c != "/" else c
        return None, f"no path to file/directory: {name}"

    def fetchscript(self, name: str) -> tuple[str | None, str]:
        """nse_fetchscript: ``scripts/<name>`` in the data directories, then ``name``.

        A directory counts (``"directory"``) only when named with a trailing ``/``;
        otherwise it is reported as ``"bare_directory"`` (nmap refuses it).
        """
        kind, path = (None, "")
        if not os.path.isabs(name):
            kind, path = self.fetchfile(os.path.join("scripts", name), cwd=False)
        if kind is None:
            kind, path = self.fetchfile(name)
        if kind == "directory" and not name.endswith(("/", os.sep)):
            return "bare_directory", path
        return kind, path

    def find(self, relpath: str) -> str | None:
        """The first existing ``<dir>/<relpath>`` (no current-directory fallback)."""
        for d in self.dirs:
            p = os.path.join(d, relpath)
            if os.path.exists(p):
                return p
        return None

    def fetch_data(self, relpath: str) -> str | None:
        """A data file: the first ``<dir>/<relpath>`` that is a file, else our own
        counterpart (:func:`own_file`), else None."""
        for d in self.dirs:
            p = os.path.join(d, relpath)
            if os.path.isfile(p):
                return p
        return own_file(relpath)

    def scripts_dir(self) -> str | None:
        """The first data directory's ``scripts/`` that exists."""
        return self.find("scripts")

    def nselib_paths(self) -> list[str]:
        """Every ``nselib/`` directory, in search order."""
        return [p for d in self.dirs if os.path.isdir(p := os.path.join(d, "nselib"))]

    def as_paths(self) -> list[Path]:
        """The directories as :class:`Path` objects."""
        return [Path(d) for d in self.dirs]
