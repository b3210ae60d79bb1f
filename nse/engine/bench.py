"""Benchmark: many concurrent script instances (``python -m nse.engine.bench``).

A host with N open ports and one portrule script whose action sleeps (letting every other
instance run), then connects to a loopback service and reads its banner.  Reports the
wall time, the most instances seen running at once and the most holding sockets at once
(nmap's limits: 1000 instances, 20 with sockets).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from dataclasses import dataclass

__all__ = ["BenchResult", "run_bench"]

_SCRIPT = '''
from nse.lib import nmap, stdnse
description = "bench"
categories = ["safe"]
STATS = {"started": 0, "running": 0, "max_running": 0, "sockets": 0, "max_sockets": 0}
def portrule(host, port):
    return port.state == "open"
def action(host, port):
    STATS["started"] += 1
    STATS["running"] += 1
    STATS["max_running"] = max(STATS["max_running"], STATS["running"])
    # a barrier: the first %(barrier)d instances wait until all of them have started, so
    # the concurrency reached does not depend on the machine's speed
    while STATS["started"] < %(barrier)d:
        stdnse.sleep(0.01)
    stdnse.sleep(%(sleep)r)
    s = nmap.new_socket()
    s.connect("127.0.0.1", %(port)d)
    STATS["sockets"] += 1
    STATS["max_sockets"] = max(STATS["max_sockets"], STATS["sockets"])
    ok, data = s.receive()
    s.close()
    STATS["sockets"] -= 1
    STATS["running"] -= 1
    return data.strip() if ok else "fail"
'''


@dataclass
class BenchResult:
    """What one benchmark run measured."""

    instances: int
    outputs: int
    seconds: float
    max_running: int
    max_sockets: int  # most script instances holding socket slots at once


def run_bench(instances: int = 1000, sleep: float = 0.5) -> BenchResult:
    """Run the benchmark with ``instances`` script instances."""
    from nse.engine.api import EngineOptions, ScriptEngine
    from nse.engine.datadir import DataDirs
    from nse.testing import fake_host, fake_port, tcp_server

    with tcp_server(banner=b"hello\r\n") as port, tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "bench.py")
        with open(path, "w") as fh:
            fh.write(_SCRIPT % {"sleep": sleep, "port": port,
                                "barrier": min(instances, 1000)})
        host = fake_host("127.0.0.1", [fake_port(10000 + i) for i in range(instances)])
        eng = ScriptEngine(path, EngineOptions(datadirs=DataDirs([])))
        t0 = time.monotonic()
        res = eng.scan([host])
        dt = time.monotonic() - t0
        outs = sum(len(v) for v in res["127.0.0.1"].ports.values())
        stats = eng.scripts[0].module.STATS  # type: ignore[union-attr]
        # socket holders as the engine counts them (its 20-slot limit)
        return BenchResult(instances, outs, dt, stats["max_running"],
                           eng.rt.socket_slots.max_held)


def main() -> None:
    """Command-line entry."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--instances", type=int, default=1000)
    ap.add_argument("--sleep", type=float, default=0.5)
    a = ap.parse_args()
    r = run_bench(a.instances, a.sleep)
    print(f"{r.outputs}/{r.instances} instances finished in {r.seconds:.2f}s; "
          f"at most {r.max_running} running at once, {r.max_sockets} holding sockets")


if __name__ == "__main__":
    main()
