"""The probe engine (ultra.py) and the timing rules, driven by a simulated network.

The fake driver answers through a socketpair, so the engine's real loop runs; which tries
are lost is a pure function of (key, try), so results do not depend on timing.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Hashable
from typing import Any

from nse.scan.timing import CongestionParams, RttEstimator, TimingOptions, Window
from nse.scan.ultra import HostState, UltraScan


class FakeNet:
    def __init__(self, answers: dict[Hashable, str | None],
                 lost: Callable[[Hashable, int], bool]) -> None:
        self.answers = answers
        self.lost = lost
        self.r, self.w = socket.socketpair()
        self.r.setblocking(False)
        self.ready: list[tuple[str, Hashable, int, Any]] = []
        self.sent: list[tuple[Hashable, int]] = []
        self.silent: list[Hashable] = []

    def send(self, host: HostState, key: Hashable, tryno: int) -> bool:
        self.sent.append((key, tryno))
        ans = self.answers.get(key)
        if ans is not None and not self.lost(key, tryno):
            self.ready.append((host.ip, key, tryno, ans))
            self.w.send(b"x")
        return True

    def sockets(self) -> list[tuple[Any, Callable[[Any], list[Any]]]]:
        return [(self.r, self._drain)]

    def _drain(self, _s: Any) -> list[Any]:
        try:
            self.r.recv(65536)
        except BlockingIOError:
            pass
        out, self.ready = self.ready, []
        return out

    def record(self, host: HostState, key: Hashable, result: Any) -> bool:
        host.ctx[key] = result
        return False

    def no_reply(self, host: HostState, key: Hashable) -> None:
        host.ctx[key] = "silent"
        self.silent.append(key)


def fast_timing(**kw: Any) -> TimingOptions:
    t = TimingOptions(min_rtt_timeout=0.01, max_rtt_timeout=0.05, initial_rtt_timeout=0.05)
    for k, v in kw.items():
        setattr(t, k, v)
    return t


def run(answers: dict[Hashable, str | None], lost: Callable[[Hashable, int], bool],
        timing: TimingOptions) -> tuple[dict[Hashable, Any], FakeNet, UltraScan]:
    net = FakeNet(answers, lost)
    params = CongestionParams.from_timing(timing)
    ctx: dict[Hashable, Any] = {}
    h = HostState("10.213.0.9", list(answers), timing, params, ctx=ctx)
    u = UltraScan([h], net, timing, params)
    u.run()
    return ctx, net, u


def test_no_loss_every_answer_and_two_tries_for_silence() -> None:
    answers: dict[Hashable, str | None] = {p: ("open" if p % 10 == 0 else "closed")
                                           for p in range(1, 301)}
    answers.update({p: None for p in range(301, 311)})
    ctx, net, u = run(answers, lambda k, t: False, fast_timing())
    assert {k: v for k, v in ctx.items() if v != "silent"} == {
        k: v for k, v in answers.items() if v is not None}
    assert sorted(net.silent) == list(range(301, 311))
    # no loss seen: a silent probe is tried twice (one retry), an answered one once
    tries = {k: max(t for kk, t in net.sent if kk == k) + 1 for k in answers}
    assert all(tries[k] == 2 for k in range(301, 311))
    assert all(tries[k] == 1 for k in range(1, 301))
    assert u.stats.drops == 0


def test_loss_is_detected_and_recovered() -> None:
    answers: dict[Hashable, str | None] = {p: "closed" for p in range(1, 401)}
    answers.update({p: None for p in range(401, 405)})

    def lost(key: Hashable, tryno: int) -> bool:
        assert isinstance(key, int)
        # every 7th port loses its first try, every 49th its first three
        return (key % 7 == 0 and tryno == 0) or (key % 49 == 0 and tryno < 3)

    ctx, net, u = run(answers, lost, fast_timing(max_retries=10))
    assert all(ctx[k] == "closed" for k in range(1, 401))
    assert all(ctx[k] == "silent" for k in range(401, 405))
    assert u.stats.drops >= 400 // 7
    # the most tries any answered probe needed was 4, so silent ones got more than 2
    silent_tries = max(t for k, t in net.sent if k == 401) + 1
    assert silent_tries >= 4


def test_steady_loss_gets_enough_tries_for_an_unlucky_port() -> None:
    # 5 % of first tries lost, as on the lab's lossy hosts; port 1999 is the unlucky one
    # that loses five tries in a row.  nmap's rule (allowed tries = max_successful_tryno
    # + 1 retries, plus our margin of one: 5 tries here) would report it silent
    # (filtered), as the CI run that failed on the lossy lab did.  The measured loss rate says
    # 5 silent tries of an answering port are not unlikely enough, so it gets more.
    answers: dict[Hashable, str | None] = {p: "closed" for p in range(1, 2001)}
    answers.update({p: None for p in range(2001, 2004)})

    def lost(key: Hashable, tryno: int) -> bool:
        assert isinstance(key, int)
        if key == 1999:
            return tryno < 5
        return (key % 20 == 0 and tryno == 0) or (key % 400 == 0 and tryno < 2)

    ctx, net, u = run(answers, lost, fast_timing(max_retries=10))
    assert ctx[1999] == "closed"
    assert all(ctx[k] == "closed" for k in range(1, 2001))
    assert all(ctx[k] == "silent" for k in range(2001, 2004))
    # silent ports: loss rate ~5 % -> 7 tries (5 % ** 7 < 1e-9), not max_retries + 1
    silent_tries = max(t for k, t in net.sent if k == 2001) + 1
    assert 7 <= silent_tries <= 8


def test_no_loss_keeps_one_retry_for_silent_ports() -> None:
    answers: dict[Hashable, str | None] = {p: "closed" for p in range(1, 201)}
    answers[201] = None
    ctx, net, _ = run(answers, lambda k, t: False, fast_timing(max_retries=10))
    assert ctx[201] == "silent"
    assert [t for k, t in net.sent if k == 201] == [0, 1]


def test_max_retries_zero_gives_one_try() -> None:
    answers: dict[Hashable, str | None] = {1: "open", 2: "open"}
    ctx, net, _ = run(answers, lambda k, t: k == 2, fast_timing(max_retries=0))
    assert ctx == {1: "open", 2: "silent"}
    assert net.sent.count((2, 0)) == 1 and (2, 1) not in net.sent


def test_host_timeout_stops_a_host() -> None:
    answers: dict[Hashable, str | None] = {p: None for p in range(1, 2000)}
    t = fast_timing(host_timeout=0.05, max_parallelism=1, scan_delay=0.01)
    net = FakeNet(answers, lambda k, tr: False)
    params = CongestionParams.from_timing(t)
    h = HostState("10.213.0.9", list(answers), t, params, ctx={})
    UltraScan([h], net, t, params).run()
    assert h.timed_out and len(net.sent) < 50


def test_scan_delay_and_parallelism_one_serialise() -> None:
    answers: dict[Hashable, str | None] = {p: "closed" for p in range(1, 6)}
    ctx, net, _ = run(answers, lambda k, t: False, fast_timing(max_parallelism=1,
                                                               scan_delay=0.001))
    assert len(ctx) == 5 and len(net.sent) == 5


def test_rtt_estimator_rfc6298_and_clamp() -> None:
    t = TimingOptions(min_rtt_timeout=0.1, max_rtt_timeout=1.0, initial_rtt_timeout=0.7)
    e = RttEstimator(t)
    assert e.timeout == 0.7
    e.sample(0.01)
    assert e.srtt == 0.01 and e.timeout == 0.1  # 0.01 + 4*0.01 clamped up to the minimum
    e.sample(0.5)  # far above: capped at 8*srtt+0.01 = 0.09
    assert abs(e.srtt - (0.01 + (0.09 - 0.01) / 8)) < 1e-12
    for _ in range(50):
        e.sample(0.4)
    assert e.timeout <= 1.0


def test_window_slow_start_then_avoidance_and_drop() -> None:
    p = CongestionParams(low_cwnd=1, max_cwnd=300, initial_cwnd=10, initial_ssthresh=20)
    w = Window(p)
    w.probes_sent = 100
    w.replies = 90
    w.on_replies(10)  # scale = 100/100 = 1: slow start adds 1 per reply
    assert w.cwnd == 20
    w.on_replies(20)  # above ssthresh: about 1/cwnd per reply
    assert 20 < w.cwnd < 22
    w.in_flight = 16
    assert w.on_drop(now=10.0, rtt_timeout=1.0, host=False)
    assert w.ssthresh == 8 and w.cwnd < 11
    assert not w.on_drop(now=10.5, rtt_timeout=1.0, host=False)  # one reaction per RTT


def test_max_rate_spaces_probes() -> None:
    import time

    answers: dict[Hashable, str | None] = {p: "closed" for p in range(1, 21)}
    stamps: list[float] = []

    class Timed(FakeNet):
        def send(self, host: HostState, key: Hashable, tryno: int) -> bool:
            stamps.append(time.monotonic())
            return super().send(host, key, tryno)

    t = fast_timing(max_rate=200.0)
    net = Timed(answers, lambda k, tr: False)
    params = CongestionParams.from_timing(t)
    h = HostState("10.213.0.9", list(answers), t, params, ctx={})
    UltraScan([h], net, t, params).run()
    # 20 probes at 200/s cannot take less than 19 gaps of 5 ms (a lower bound only)
    assert stamps[-1] - stamps[0] >= 19 * 0.005 * 0.9


def test_adaptive_delay_grows_on_loss_only_when_asked() -> None:
    answers: dict[Hashable, str | None] = {p: "closed" for p in range(1, 41)}

    def lost(key: Hashable, tryno: int) -> bool:
        return tryno == 0 and isinstance(key, int) and key % 4 == 0

    for adaptive in (False, True):
        t = fast_timing(max_scan_delay=0.02)
        net = FakeNet(answers, lost)
        params = CongestionParams.from_timing(t)
        h = HostState("10.213.0.9", list(answers), t, params, ctx={})
        UltraScan([h], net, t, params, adaptive_delay=adaptive).run()
        assert all(v == "closed" for v in h.ctx.values()) and len(h.ctx) == 40
        assert (h.delay > 0) == adaptive and h.delay <= 0.02
