"""Acceptance 4: 1000 concurrent script instances (numbers printed; no timing asserted)."""

from __future__ import annotations

from nse.engine.bench import run_bench


def test_thousand_concurrent_instances() -> None:
    r = run_bench(instances=1100, sleep=0.2)
    print(f"{r.outputs}/{r.instances} in {r.seconds:.2f}s, max running {r.max_running}, "
          f"max with sockets {r.max_sockets}")
    assert r.outputs == 1100
    # nmap's limits: at most 1000 instances at once, at most 20 holding sockets
    assert r.max_running == 1000
    assert r.max_sockets == 20
