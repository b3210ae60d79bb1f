"""Helpers for tests that compare with the real nmap (marked ``nmap``)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

NMAP = shutil.which("nmap")
NMAP_DATA = Path("/usr/share/nmap")
HAVE_NMAP = NMAP is not None and (NMAP_DATA / "scripts").is_dir()


def run_nmap(*argv: str, timeout: float = 60.0) -> str:
    """Run nmap with a host-discovery-free, portless scan of 127.0.0.1 (or none)."""
    assert NMAP is not None
    proc = subprocess.run(
        [NMAP, *argv], capture_output=True, timeout=timeout, check=False
    )
    return proc.stdout.decode("latin-1") + proc.stderr.decode("latin-1")
