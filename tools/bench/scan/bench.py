"""Scanner benchmark: ``nse scan`` against nmap, side by side in one run (needs root).

Scenarios (issue 4, acceptance 4 and 1):

``loopback``    a fresh private namespace with only ``lo``: ``-sS -p- 127.0.0.1``
``lab``         the lab /24 (8 live hosts, 5 % loss): ``-sS -p1-2000 -T4``
``acceptance``  the lab /24 with 0 % and 5 % loss: ``-sn`` and ``-sS -p1-2000``, N runs
                each of nse and nmap, every result compared with the lab's truth

Runs alternate between the two tools so that load on the machine hits both alike; the
table reports medians.  Wall time is measured around the process (start-up included);
"scan time" is each tool's own "scanned in" figure; peak memory is the child's max RSS
reported by GNU time, as are CPU seconds (user + system, and each apart: on a shared
machine CPU time is steadier than wall time); packets sent are what each tool reports
with ``-v``.

    .venv/bin/python tools/bench/scan/bench.py loopback --reps 5
    .venv/bin/python tools/bench/scan/bench.py lab --reps 3
    .venv/bin/python tools/bench/scan/bench.py acceptance --runs 10
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
sys.path.insert(0, ROOT)

from tools.lab.lab import SCANNER_IP, Lab, default_hosts  # noqa: E402
from tools.lab.report import parse_normal, summarize  # noqa: E402

NSE = [sys.executable, "-m", "nse.cli", "scan"]
NMAP = [shutil.which("nmap") or "nmap"]


def _child_env() -> dict[str, str]:
    """The environment of the measured processes.  Bytecode caching is on (in a folder of
    its own, outside the tree): an installed nse has its ``.pyc`` files, and a session
    that sets PYTHONDONTWRITEBYTECODE would otherwise compile every module of ours from
    source on every run (~40 ms), which nmap does not pay either."""
    env = {**os.environ, "PYTHONPATH": ROOT,
           "PYTHONPYCACHEPREFIX": os.path.join("/tmp", "nse-bench-pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def measure(cmd: list[str]) -> dict[str, Any]:
    """Run ``cmd``; wall seconds, peak RSS (KiB), packets sent, stdout."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=_child_env())
    out, err = p.communicate(timeout=900)
    wall = time.monotonic() - t0
    sent = None
    m = re.search(r"scanned in ([\d.]+) seconds", out)
    scan_time = float(m.group(1)) if m else None
    m = re.search(r"Raw packets sent: (\d+)", out) or re.search(r"Packets: (\d+) sent", err)
    if m:
        sent = int(m.group(1))
    return {"wall": wall, "sent": sent, "out": out, "err": err, "rc": p.returncode,
            "scan_time": scan_time}


def measure_rss(cmd: list[str]) -> dict[str, Any]:
    """Like :func:`measure`, with the child's peak RSS from GNU time (if installed)."""
    gtime = shutil.which("time") or "/usr/bin/time"
    if os.path.exists(gtime):
        r = measure([gtime, "-f", "__rss %M %U %S", *cmd])
        m = re.search(r"__rss (\d+) ([\d.]+) ([\d.]+)", r["err"])
        r["rss_kb"] = int(m.group(1)) if m else None
        # CPU seconds (user + system) of the whole process: less sensitive than wall time
        # to the other processes on a shared machine
        r["cpu"] = float(m.group(2)) + float(m.group(3)) if m else None
        # user (the interpreter / nmap's own code) and system time (the kernel's packet
        # path: sending, the loopback's replies, receiving) apart
        r["user"] = float(m.group(2)) if m else None
        r["sys"] = float(m.group(3)) if m else None
        return r
    r = measure(cmd)
    r["rss_kb"] = None
    r["cpu"] = r["user"] = r["sys"] = None
    return r


def _ns_cmd(ns: str, cmd: list[str]) -> list[str]:
    return ["ip", "netns", "exec", ns, *cmd]


def side_by_side(ns: str, nse_args: list[str], nmap_args: list[str], reps: int
                 ) -> dict[str, Any]:
    """Alternate nse and nmap ``reps`` times in namespace ``ns``; medians and results."""
    load_before = os.getloadavg()[0]
    runs: dict[str, list[dict[str, Any]]] = {"nse": [], "nmap": []}
    # one unmeasured run of each first: bytecode cache, page cache, ARP
    measure(_ns_cmd(ns, NSE + nse_args))
    measure(_ns_cmd(ns, NMAP + nmap_args))
    for _ in range(reps):
        runs["nse"].append(measure_rss(_ns_cmd(ns, NSE + nse_args)))
        runs["nmap"].append(measure_rss(_ns_cmd(ns, NMAP + nmap_args)))
    res: dict[str, Any] = {}
    for tool, rs in runs.items():
        for r in rs:
            if r["rc"] != 0:
                raise RuntimeError(f"{tool} failed: {r['err'][-500:]}")
        res[tool] = {
            "wall_median": statistics.median(r["wall"] for r in rs),
            "wall_all": [round(r["wall"], 3) for r in rs],
            # the tool's own "scanned in" figure: the scan without process start-up
            "scan_time_median": statistics.median(r["scan_time"] or 0 for r in rs),
            "sent_median": statistics.median(r["sent"] or 0 for r in rs),
            "rss_kb_max": max((r["rss_kb"] or 0) for r in rs),
            "cpu_median": statistics.median((r["cpu"] or 0) for r in rs),
            "cpu_all": [r["cpu"] for r in rs],
            "user_median": statistics.median((r["user"] or 0) for r in rs),
            "sys_median": statistics.median((r["sys"] or 0) for r in rs),
            "results": [summarize(parse_normal(r["out"])) for r in rs],
        }
    same = all(x == res["nse"]["results"][0] for x in res["nse"]["results"] +
               res["nmap"]["results"])
    res["same_results"] = same
    res["ratio"] = res["nse"]["wall_median"] / res["nmap"]["wall_median"]
    if res["nmap"]["cpu_median"]:
        res["cpu_ratio"] = res["nse"]["cpu_median"] / res["nmap"]["cpu_median"]
    res["load_before"] = load_before
    res["load_after"] = os.getloadavg()[0]
    if res["nmap"]["scan_time_median"]:
        res["scan_time_ratio"] = (res["nse"]["scan_time_median"]
                                  / res["nmap"]["scan_time_median"])
    return res


def bench_loopback(reps: int) -> dict[str, Any]:
    """``-sS -p- 127.0.0.1`` in a namespace of our own (only lo, nothing listening but one
    Python TCP listener so that there is an open port to find)."""
    ns = f"nl{os.getpid()}-bench"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    listener = None
    try:
        subprocess.run(["ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"],
                       check=True)
        listener = subprocess.Popen(
            ["ip", "netns", "exec", ns, sys.executable,
             os.path.join(ROOT, "tools/lab/listener.py"), "--tcp", "22,8080,31337"],
            stdout=subprocess.PIPE, text=True)
        assert listener.stdout is not None
        listener.stdout.readline()
        args = ["-sS", "-p-", "-n", "-v", "127.0.0.1"]
        return side_by_side(ns, args, args, reps)
    finally:
        if listener is not None:
            listener.kill()
            listener.wait()
        pids = subprocess.run(["ip", "netns", "pids", ns], capture_output=True,
                              text=True).stdout.split()
        for pid in pids:
            subprocess.run(["kill", "-9", pid], check=False)
        subprocess.run(["ip", "netns", "del", ns], check=False)


def bench_lab(reps: int, loss: int = 5) -> dict[str, Any]:
    """The lab /24 with ``loss`` % loss: ``-sS -p1-2000 -T4`` for both tools."""
    with Lab(default_hosts(8, loss=loss), tag="bench") as lab:
        args = ["-sS", "-p1-2000", "-n", "-v", "-T4", "10.213.0.0/24"]
        res = side_by_side(lab.scan_ns, args, args, reps)
        exp = {ip: {(p, "tcp"): s for p, s in t["tcp"].items()}
               for ip, t in lab.truth().items()}
        exp[SCANNER_IP] = {}
        res["nse_correct"] = [r == exp for r in res["nse"]["results"]]
        res["nmap_correct"] = [r == exp for r in res["nmap"]["results"]]
        return res


def acceptance(runs: int) -> dict[str, Any]:
    """Acceptance 1: -sn and -sS -p1-2000, ``runs`` runs of each tool, 0 % and 5 % loss."""
    out: dict[str, Any] = {}
    for loss in (0, 5):
        with Lab(default_hosts(8, seed=7 + loss, loss=loss), tag=f"acc{loss}") as lab:
            live = {h.ip for h in lab.hosts} | {SCANNER_IP}
            exp = {ip: {(p, "tcp"): s for p, s in t["tcp"].items()}
                   for ip, t in lab.truth().items()}
            exp[SCANNER_IP] = {}
            row: dict[str, Any] = {}
            for tool, base in (("nse", NSE), ("nmap", NMAP)):
                ok_sn = ok_ss = 0
                walls_sn, walls_ss = [], []
                bad: list[Any] = []
                for _ in range(runs):
                    r = measure(_ns_cmd(lab.scan_ns, base + ["-sn", "-n", "10.213.0.0/24"]))
                    walls_sn.append(r["wall"])
                    got = set(summarize(parse_normal(r["out"])))
                    ok_sn += got == live
                    r = measure(_ns_cmd(lab.scan_ns, base + ["-sS", "-p1-2000", "-n",
                                                             "10.213.0.0/24"]))
                    walls_ss.append(r["wall"])
                    got2 = summarize(parse_normal(r["out"]))
                    if got2 == exp:
                        ok_ss += 1
                    else:
                        bad.append({ip: sorted(set(got2.get(ip, {}).items()) ^
                                               set(exp.get(ip, {}).items()))
                                    for ip in set(got2) | set(exp)
                                    if got2.get(ip) != exp.get(ip)})
                row[tool] = {"sn_exact": f"{ok_sn}/{runs}", "sS_exact": f"{ok_ss}/{runs}",
                             "sn_wall_median": statistics.median(walls_sn),
                             "sS_wall_median": statistics.median(walls_ss),
                             "differences": [str(b) for b in bad][:5]}
            out[f"loss{loss}"] = row
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["loopback", "lab", "acceptance"])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--runs", type=int, default=10)
    a = ap.parse_args()
    if a.what == "loopback":
        res = bench_loopback(a.reps)
    elif a.what == "lab":
        res = bench_lab(a.reps)
    else:
        res = acceptance(a.runs)

    def clean(x: Any) -> Any:
        if isinstance(x, dict):
            return {str(k): clean(v) for k, v in x.items() if k != "results"}
        if isinstance(x, list):
            return [clean(v) for v in x]
        return x

    print(json.dumps(clean(res), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
