"""Run one of our scripts and nmap's namesake against the same loopback service.

``compare(name, port, ...)`` runs, against 127.0.0.1:PORT (a service the test started):

* nmap 7.93: ``nmap -Pn -n -sT|-sU -p PORT --script +NAME 127.0.0.1`` (``+`` runs the
  script whatever nmap guesses the service is, since test ports are random);
* ``scripts_lua/NAME.nse`` and its twin ``scripts_py/NAME.py`` through the real engine
  (``nse.testing.run_script``) with no nmap data directory at all;

and returns the three outputs (the ``|`` lines under the port).  Our script also runs
unforced with the service name nmap would assign, so its portrule is exercised.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from nse.testing import fake_host, fake_port, run_script

ROOT = Path(__file__).resolve().parents[2]
NMAP = shutil.which("nmap")
HAVE_NMAP = NMAP is not None and Path("/usr/share/nmap/scripts/script.db").is_file()


def nmap_block(name: str, port: int, proto: str = "tcp", args: str | None = None,
               timeout: float = 60.0, extra: list[str] | None = None) -> str:
    """nmap's output lines for script ``name`` under ``port`` ("" when none)."""
    assert NMAP is not None
    argv = [NMAP, "-Pn", "-n", "-sU" if proto == "udp" else "-sT", "-p", str(port),
            "--script", "+" + name, "--script-timeout", "30s"]
    if args:
        argv += ["--script-args", args]
    argv += extra or []
    proc = subprocess.run([*argv, "127.0.0.1"], capture_output=True, timeout=timeout,
                          check=False)
    out = proc.stdout.decode("latin-1")
    lines = [ln for ln in out.splitlines() if ln.startswith("|")]
    return "\n".join(lines)


def our_block(path: str, port: int, service: str, proto: str = "tcp",
              args: str | None = None, force: bool = False, verbosity: int = 0,
              script_timeout: float | None = None) -> str:
    """Our engine's output lines for the script file ``path`` under ``port``."""
    host = fake_host("127.0.0.1", [fake_port(port, protocol=proto, service=service)])
    run = run_script(str(ROOT / path), host, args=args, force=force, verbosity=verbosity,
                     script_timeout=script_timeout)
    return run.port_text(port, proto)


Normaliser = Callable[[str], str]


def same(s: str) -> str:
    """No normalisation."""
    return s


def outputs(name: str, port: int, service: str, proto: str = "tcp",
            args: str | None = None, norm: Normaliser = same,
            with_nmap: bool = True, force: bool = False) -> tuple[str, str, str]:
    """(nmap, lua, python twin) outputs, each through ``norm``.

    ``force`` runs ours whatever the portrule says (for rules that want a fixed port
    number, which a test port is not)."""
    want = norm(nmap_block(name, port, proto, args)) if with_nmap else ""
    lua = norm(our_block(f"scripts_lua/{name}.nse", port, service, proto, args, force))
    twin = norm(our_block(f"scripts_py/{name}.py", port, service, proto, args, force))
    return want, lua, twin


def sub(pattern: str, repl: str) -> Normaliser:
    """A normaliser replacing a regular expression (multiline)."""
    rx = re.compile(pattern, re.M)
    return lambda s: rx.sub(repl, s)
