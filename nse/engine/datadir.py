"""Finding nmap data directories and files in them (nmap's ``nmap_fetchfile``).

nmap looks for a data file, in order, in ``--datadir``, ``$NMAPDIR``, ``~/.nmap``, its
installation directory (``/usr/share/nmap`` on Debian) and last the current directory.
A script named on the command line is first looked up as ``scripts/<name>`` in those
directories, then as a path of its own (``nse_fetchscript``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["DataDirs", "DEFAULT_NMAP_DATADIR"]

DEFAULT_NMAP_DATADIR = "/usr/share/nmap"


@dataclass
class DataDirs:
    """The ordered list of nmap data directories in effect."""

    dirs: list[str] = field(default_factory=list)

    @classmethod
    def discover(cls, datadir: str | None = None, *, environ: dict[str, str] | None = None,
                 include_system: bool = True) -> DataDirs:
        """The directories nmap would search, existing ones only, in nmap's order."""
        env = os.environ if environ is None else environ
        cands: list[str] = []
        if datadir:
            cands.append(datadir)
        if env.get("NMAPDIR"):
            cands.append(env["NMAPDIR"])
        if env.get("HOME"):
            cands.append(os.path.join(env["HOME"], ".nmap"))
        if include_system:
            cands.append(DEFAULT_NMAP_DATADIR)
        out: list[str] = []
        for c in cands:
            c = os.path.abspath(c)
            if os.path.isdir(c) and c not in out:
                out.append(c)
        return cls(out)

    def fetchfile(self, name: str, *, cwd: bool = True) -> tuple[str | None, str]:
        """``(kind, path)`` with kind ``"file"``, ``"directory"`` or ``None``."""
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

    def scripts_dir(self) -> str | None:
        """The first data directory's ``scripts/`` that exists."""
        return self.find("scripts")

    def nselib_paths(self) -> list[str]:
        """Every ``nselib/`` directory, in search order."""
        return [p for d in self.dirs if os.path.isdir(p := os.path.join(d, "nselib"))]

    def as_paths(self) -> list[Path]:
        """The directories as :class:`Path` objects."""
        return [Path(d) for d in self.dirs]
