"""The -o dispatcher: option combination, stdout, file errors, closing on exceptions."""

from __future__ import annotations

import io
import os
import signal
import xml.etree.ElementTree as ET

import pytest
from output_scenarios import SCENARIOS, FakeClock

from nse.output.writers import (
    OutputError,
    OutputSpec,
    RunStats,
    ScanTerminated,
    open_writers,
)

pytestmark = pytest.mark.usefixtures("own_services")


def test_all_base_and_overrides() -> None:
    spec = OutputSpec.from_options(all_base="out/scan", xml="-")
    assert (spec.normal, spec.xml, spec.grepable, spec.json) == \
        ("out/scan.nmap", "-", "out/scan.gnmap", None)
    assert OutputSpec.from_options(json="x.json").any()
    assert not OutputSpec().any()


@pytest.mark.parametrize("kw", [{"xml": "-", "grepable": "-"}, {"all_base": "-"}])
def test_conflicts(kw: dict[str, str]) -> None:
    with pytest.raises(OutputError):
        OutputSpec.from_options(**kw)


def test_unwritable_file_is_an_error_and_closes_the_others(tmp_path: str) -> None:
    ok = os.path.join(tmp_path, "a.xml")
    bad = os.path.join(tmp_path, "no-such-dir", "a.gnmap")
    with pytest.raises(OutputError, match="cannot write"):
        open_writers(OutputSpec(xml=ok, grepable=bad), SCENARIOS["ping"]().info)


def _run(tmp_path: str, exc: BaseException) -> ET.Element:
    sc = SCENARIOS["full"]()
    path = os.path.join(tmp_path, "a.xml")
    with pytest.raises(type(exc)):
        with open_writers(OutputSpec(xml=path), sc.info, FakeClock(sc.info.start)) as w:
            w.host(*sc.hosts[0])
            raise exc
    return ET.parse(path).getroot()


@pytest.mark.parametrize("exc,reason", [
    (KeyboardInterrupt(), "interrupted by the user (SIGINT)"),
    (ScanTerminated(), "terminated (SIGTERM)"),
    (RuntimeError("disk on fire"), "error: RuntimeError: disk on fire"),
])
def test_exception_closes_outputs_marked_incomplete(tmp_path: str, exc: BaseException,
                                                    reason: str) -> None:
    root = _run(str(tmp_path), exc)
    assert len(root.findall("host")) == 1
    fin = root.find("runstats/finished")
    assert fin is not None and (fin.get("exit"), fin.get("errormsg")) == ("error", reason)


def test_close_twice_and_counts(tmp_path: str) -> None:
    sc = SCENARIOS["full"]()
    buf = io.StringIO()
    w = open_writers(OutputSpec(grepable="-"), sc.info, FakeClock(sc.info.start), stdout=buf)
    assert w.stdout_used
    for h, s in sc.hosts:
        w.host(h, s)
    w.close(RunStats(elapsed=2.0))
    w.close()
    lines = buf.getvalue().splitlines()
    assert lines[-1].endswith("-- 3 IP addresses (2 hosts up) scanned in 2.00 seconds")
    assert sum(1 for x in lines if x.startswith("# Nmap done")) == 1


class _Interrupting(io.StringIO):
    """A stream that receives SIGINT in the middle of a host's writes."""

    def __init__(self) -> None:
        super().__init__()
        self.armed = False

    def write(self, s: str) -> int:
        if self.armed and "<host" in s:
            self.armed = False
            os.kill(os.getpid(), signal.SIGINT)
        return super().write(s)


def test_sigint_while_writing_a_host_is_held_until_every_output_has_it(
        tmp_path: str) -> None:
    sc = SCENARIOS["full"]()
    stream = _Interrupting()
    gpath = os.path.join(tmp_path, "a.gnmap")
    w = open_writers(OutputSpec(xml="-", grepable=gpath), sc.info, FakeClock(sc.info.start),
                     stdout=stream)
    stream.armed = True
    with pytest.raises(KeyboardInterrupt):
        w.host(*sc.hosts[0])
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    w.close(incomplete=True, reason="interrupted")
    with open(gpath, encoding="utf-8") as f:
        assert "Ports: 45001/open/tcp" in f.read()  # written after the signal came
    assert len(ET.fromstring(stream.getvalue()).findall("host")) == 1


def test_sigterm_becomes_scan_terminated(tmp_path: str) -> None:
    from nse.output.writers import terminate_on_sigterm

    sc = SCENARIOS["ping"]()
    path = os.path.join(tmp_path, "a.json")
    before = signal.getsignal(signal.SIGTERM)
    restore = terminate_on_sigterm()
    try:
        with pytest.raises(ScanTerminated):
            with open_writers(OutputSpec(json=path), sc.info, FakeClock(sc.info.start)) as w:
                w.host(*sc.hosts[0])
                os.kill(os.getpid(), signal.SIGTERM)
    finally:
        restore()
    assert signal.getsignal(signal.SIGTERM) == before
    import json

    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    assert doc["incomplete"] and doc["runstats"]["finished"]["errormsg"] == \
        "terminated (SIGTERM)"
