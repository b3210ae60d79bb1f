"""A scan wired to the writers as ``nse scan`` wires them (see docs/output.md), for
test_interrupt.py: ``python interrupt_driver.py BASE PORT N`` scans 127.0.0.1 N times
(one host group each) with -oA BASE -oJ BASE.json and pauses after each host, so that
a SIGINT lands midway.  Exits 130 on SIGINT, as ``nse`` does."""

from __future__ import annotations

import sys
import time

from nse.output.writers import OutputSpec, open_writers, scaninfo_from_plan
from nse.scan.options import parse_args
from nse.scan.runner import resolve_plan, run_scan
from nse.scan.services import load_services


def main() -> int:
    base, port, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    args = ["-sT", "-n", "--max-hostgroup", "1", "-p", port] + ["127.0.0.1"] * n
    opts = parse_args(args)
    plan = resolve_plan(opts, load_services(opts.datadir))
    info = scaninfo_from_plan(plan, "nse scan " + " ".join(args), "0.1.0", opts)
    spec = OutputSpec.from_options(all_base=base, json=base + ".json")

    def on_host(h: object) -> None:
        out.host(h)  # type: ignore[arg-type]
        print("host", flush=True)
        time.sleep(1.0)  # wide enough that a loaded machine still interrupts within host 4

    try:
        with open_writers(spec, info) as out:
            result = run_scan(opts, on_host=on_host, log=lambda s: None)
            out.close()
            print("done", len(result.hosts), flush=True)
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
