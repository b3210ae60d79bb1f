"""``--script-help``, ``nse script list`` and ``nse script updatedb``.

``--script-help`` prints, for each chosen script, what nse_main.lua's
``script_help_normal`` prints::

    <blank line>
    http-title
    Categories: default discovery safe
    https://nmap.org/nsedoc/scripts/http-title.html
      <description, every non-empty line indented by two spaces>

(categories in the script's own order; the description as written, so its last line
ends the entry without an extra newline unless the description has one).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

from nse.engine.context import Runtime
from nse.engine.script import Script, ScriptLoadError, load_script
from nse.engine.scriptdb import DbEntry, format_script_db

__all__ = ["NMAP_URL", "format_script_help", "format_script_list", "update_db"]

NMAP_URL = "https://nmap.org"


def format_script_help(scripts: Iterable[Script]) -> str:
    """The text of ``nmap --script-help`` for these scripts (after nmap's banner line)."""
    out: list[str] = []
    for s in scripts:
        out.append("\n")
        out.append(f"{s.id}\n")
        out.append(f"Categories: {' '.join(s.categories)}\n")
        out.append(f"{NMAP_URL}/nsedoc/scripts/{s.id}.html\n")
        if s.description is not None:
            # format_nsedoc: gsub(nsedoc, "([^\n]+)", indent .. "%1")
            out.append(re.sub(r"([^\n]+)", r"  \1", s.description))
    return "".join(out)


def format_script_list(scripts: Iterable[Script]) -> str:
    """One line per script: ``id  categories``."""
    return "".join(f"{s.id:<32} {' '.join(s.categories)}\n" for s in scripts)


def update_db(folder: str, rt: Runtime, *, suffixes: tuple[str, ...] = (".nse",),
              out: str | None = None) -> tuple[str, list[str]]:
    """Load every script in ``folder`` and write ``folder/script.db`` (or ``out``) as nmap
    does.

    Returns ``(path written, load errors)``; scripts that fail to load are left out, as
    nmap leaves out scripts whose ``Script.new`` fails quietly.
    """
    entries: list[DbEntry] = []
    errors: list[str] = []
    for f in sorted(os.listdir(folder)):
        if not f.endswith(suffixes) or f.startswith("_"):
            continue
        path = os.path.join(folder, f)
        try:
            s = load_script(path, rt)
        except ScriptLoadError as e:
            errors.append(str(e))
            continue
        entries.append(DbEntry(f, tuple(s.categories)))
    out = out or os.path.join(folder, "script.db")
    with open(out, "wb") as fh:
        fh.write(format_script_db(entries).encode("latin-1"))
    return out, errors
