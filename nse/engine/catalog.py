"""Where scripts come from: the script databases and the files behind them.

Sources, in order of precedence for a script id:

1. the scripts of the nmap data directory (``--datadir``, ``$NMAPDIR``, ``~/.nmap``,
   ``/usr/share/nmap``), listed by its ``scripts/script.db``;
2. the bundled ``scripts_py/`` of this project (its own ``script.db``, written by
   ``nse script updatedb``; the generated twins of ``scripts_lua/`` and the scripts written
   in Python), for ids the data directory does not have.

The data directories come from :mod:`nse.lib.datadir`, which leaves ``/usr/share/nmap``
out when ``--datadir`` or ``$NMAPDIR`` is given: ``NMAPDIR=<empty folder> nse scan -sC``
therefore runs our own scripts only, never nmap's installed ones.

Any ``.nse``/``.py`` file or folder can also be named on the command line.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from nse.engine.datadir import DataDirs
from nse.engine.scriptdb import DbEntry, ScriptDbError, read_script_db
from nse.engine.selection import FetchResult, entry_basename
from nse.lib.datadir import OWN_SCRIPTS_PY

__all__ = ["BUNDLED_DIR", "ScriptCatalog"]

#: scripts_py/ next to the nse package (a source checkout or an installed tree)
BUNDLED_DIR = OWN_SCRIPTS_PY


@dataclass
class ScriptCatalog:
    """The union of the script databases in effect."""

    datadirs: DataDirs
    bundled_dir: str | None = BUNDLED_DIR
    entries: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    paths: dict[str, str] = field(default_factory=dict)  # db filename -> file
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, datadirs: DataDirs, bundled_dir: str | None = BUNDLED_DIR) -> ScriptCatalog:
        """Read every script.db that exists."""
        cat = cls(datadirs, bundled_dir)
        seen: set[str] = set()
        db = datadirs.find(os.path.join("scripts", "script.db"))
        if db is not None:
            cat._add(db, os.path.dirname(db), seen)
        if bundled_dir and os.path.isfile(os.path.join(bundled_dir, "script.db")):
            cat._add(os.path.join(bundled_dir, "script.db"), bundled_dir, seen)
        return cat

    def _add(self, db: str, folder: str, seen: set[str]) -> None:
        try:
            entries: Iterable[DbEntry] = read_script_db(db)
        except (OSError, ScriptDbError) as err:
            self.warnings.append(f"{db}: {err}")
            return
        for ent in entries:
            sid = entry_basename(ent.filename)
            if sid in seen:
                continue
            seen.add(sid)
            self.entries.append((ent.filename, ent.categories))
            self.paths[ent.filename] = os.path.join(folder, ent.filename)

    def fetch(self, name: str) -> FetchResult:
        """nse_fetchscript over every source: database names first, then files."""
        p = self.paths.get(name)
        if p is not None:
            return ("file", p) if os.path.isfile(p) else (None, f"no path to file: {p}")
        kind, path = self.datadirs.fetchscript(name)
        if kind is None and self.bundled_dir and not os.path.isabs(name):
            base = name[:-4] if name.endswith(".nse") else name
            for cand in (os.path.join(self.bundled_dir, name),
                         os.path.join(self.bundled_dir, base + ".py")):
                if os.path.isfile(cand):
                    return "file", cand
        return kind, path

    @staticmethod
    def list_dir(path: str) -> list[str]:
        """The script files of a folder (``.nse`` and ``.py``), sorted."""
        return sorted(f for f in os.listdir(path) if f.endswith((".nse", ".py"))
                      and not f.startswith("_"))
