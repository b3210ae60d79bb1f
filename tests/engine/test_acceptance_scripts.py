"""Acceptance 3: Debian nmap's own scripts, converted on the fly, print what nmap prints
against the same local services (HTTP, TLS, FTP, SMTP on 127.0.0.1)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from nse.engine.api import EngineOptions, run_scripts
from nse.engine.datadir import DataDirs
from nse.engine.output import format_script_output
from nse.testing import fake_host, fake_port

from . import services
from .nmaprun import HAVE_NMAP, NMAP_DATA, run_nmap

pytestmark = [pytest.mark.nmap,
              pytest.mark.skipif(not HAVE_NMAP, reason="nmap not installed")]

SCRIPTS = ["banner", "http-title", "http-headers", "http-server-header", "http-methods",
           "http-robots.txt", "ssh-hostkey", "ssl-cert", "ftp-anon", "smtp-commands"]
ARGS = "banner.timeout=1s"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, int]]:
    pytest.importorskip("nse.lua.baselib")
    tmp = tmp_path_factory.mktemp("lab")
    www = tmp / "www"
    www.mkdir()
    (www / "index.html").write_text("<html><head><title>Hello NSE</title></head>"
                                    "<body>hi</body></html>")
    (www / "robots.txt").write_text("User-agent: *\nDisallow: /secret/\nDisallow: /admin\n")
    ports: dict[str, int] = {}
    stops = []
    wanted = {"http": [8080, 8000, 8088, 7080, 8180], "tls": [4433, 8443, 6697],
              "ftp": [21], "smtp": [25, 587], "ssh": [2222, 22222]}
    for kind, cands in wanted.items():
        p = services.free_port(cands)
        if p is None:
            continue
        if kind == "http":
            stops.append(services.start_http(p, www))
        elif kind == "tls":
            stops.append(services.start_tls(p, *services.make_cert(tmp)))
        elif kind == "ftp":
            stops.append(services.start_ftp(p))
        elif kind == "ssh":
            pytest.importorskip("paramiko")
            stops.append(services.start_ssh(p, tmp))
        else:
            stops.append(services.start_smtp(p))
        ports[kind] = p
    yield ports
    for stop in stops:
        stop()


def _normalise(block: str) -> str:
    # the HTTP Date header is the only thing that changes between two runs
    return re.sub(r"(?m)^\|   Date: .*$", "|   Date: <date>", block)


def _nmap_blocks(out: str) -> tuple[dict[int, str], dict[tuple[int, str], str]]:
    services_: dict[int, str] = {}
    blocks: dict[tuple[int, str], str] = {}
    port = None
    cur: list[str] = []
    for line in out.splitlines():
        m = re.match(r"^(\d+)/tcp\s+open\s+(\S+)", line)
        if m:
            port = int(m.group(1))
            services_[port] = m.group(2)
            continue
        if port is not None and line.startswith("|"):
            m = re.match(r"^\|[ _]([\w.-]+): ", line)
            if m and not cur:
                cur = [line]
                sid = m.group(1)
            else:
                cur.append(line)
            if line.startswith("|_"):
                blocks[(port, sid)] = "\n".join(cur)
                cur = []
        elif not line.startswith("|"):
            port = None if not line.strip() or "Nmap done" in line else port
    return services_, blocks


def test_same_output_as_nmap(lab: dict[str, int]) -> None:
    ports = sorted(lab.values())
    # banner waits 5 s per attempt on the silent TLS port unless told otherwise
    out = run_nmap("-sT", "-Pn", "-n", "-p", ",".join(map(str, ports)), "--script",
                   ",".join(SCRIPTS), "--script-args", ARGS, "127.0.0.1", timeout=120)
    svc, want = _nmap_blocks(out)
    assert set(svc) == set(ports), out
    if len(lab) == 5:  # every service could bind its port: every script prints something
        assert {sid for _p, sid in want} == set(SCRIPTS), out
    host = fake_host("127.0.0.1", [fake_port(p, service=svc[p]) for p in ports])
    r = run_scripts(",".join(SCRIPTS), [host], args=ARGS, skip_broken=True,
                    options=EngineOptions(datadirs=DataDirs([str(NMAP_DATA)])))
    loaded = {s.id for s in r.scripts}
    got = {(p, o.id): format_script_output(o)
           for (_proto, p), outs in r.hosts["127.0.0.1"].ports.items() for o in outs}
    compared = {k: v for k, v in want.items() if k[1] in loaded}
    assert {k: _normalise(v) for k, v in got.items()} == \
        {k: _normalise(v) for k, v in compared.items()}
    # every script that loads printed something nmap printed (no vacuous pass)
    assert {sid for _p, sid in compared} == loaded & {sid for _p, sid in want}
    missing = sorted(set(SCRIPTS) - loaded)
    if missing:
        pytest.xfail(f"not loadable yet: {missing}: "
                     + "; ".join(e.splitlines()[-1].strip() for e in r.load_errors))
