"""Engine fixes found while other parts were built on it, each compared with nmap 7.93
where the point is nmap's behaviour: forcing with ``+``, escaping of script output,
error/time-out states, unsupported socket methods, SNI after STARTTLS, result order."""

from __future__ import annotations

import re
import socket
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from nse.engine.api import EngineOptions, run_scripts
from nse.engine.datadir import DataDirs
from nse.engine.output import format_script_output
from nse.testing import fake_host, fake_port

from .nmaprun import HAVE_NMAP, run_nmap

NMAP = pytest.mark.skipif(not HAVE_NMAP, reason="nmap not installed")


def opts(**kw: object) -> EngineOptions:
    return EngineOptions(datadirs=DataDirs([]), **kw)  # type: ignore[arg-type]


@pytest.fixture()
def ports() -> Iterator[tuple[int, int]]:
    """(an open loopback port, a closed one)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    tmp = socket.socket()
    tmp.bind(("127.0.0.1", 0))
    closed = tmp.getsockname()[1]
    tmp.close()
    try:
        yield srv.getsockname()[1], closed
    finally:
        srv.close()


def _script_lines(nmap_out: str) -> list[str]:
    return [ln for ln in nmap_out.splitlines() if ln.startswith("|")]


# -- 1. "+" overrides a rule's answer only in the phases the script has a rule for ------

FORCED_PORTRULE = """
local nmap = require "nmap"
local stdnse = require "stdnse"
description = "portrule only, false; a worker signals a condvar"
categories = {"safe"}
portrule = function(host, port) return false end
action = function(host, port)
  local state = {done = false}
  local cv = nmap.condvar(state)
  stdnse.new_thread(function() state.done = true; cv "signal" end)
  while not state.done do cv "wait" end
  return "ran " .. host.ip .. ":" .. port.number
end
"""


def test_forced_portrule_script_runs_on_open_ports_only(
        tmp_path: Path, ports: tuple[int, int]) -> None:
    p = tmp_path / "fprt.nse"
    p.write_text(FORCED_PORTRULE)
    open_, closed = ports
    host = fake_host("127.0.0.1", [fake_port(open_), fake_port(closed, state="closed")])
    r = run_scripts("+" + str(p), [host], options=opts())
    assert r.pre == [] and r.post == []
    hs = r.hosts["127.0.0.1"]
    assert hs.host == []
    assert {k: [format_script_output(o) for o in v] for k, v in hs.ports.items()} == {
        ("tcp", open_): [f"|_fprt: ran 127.0.0.1:{open_}"]}


@pytest.mark.nmap
@NMAP
def test_forced_portrule_script_as_nmap(tmp_path: Path, ports: tuple[int, int]) -> None:
    p = tmp_path / "fprt.nse"
    p.write_text(FORCED_PORTRULE)
    open_, closed = ports
    out = run_nmap("-Pn", "-n", "-p", f"{open_},{closed}", "--script", "+" + str(p),
                   "127.0.0.1")
    assert "Pre-scan script results" not in out and "Post-scan" not in out
    assert "Host script results" not in out
    assert _script_lines(out) == [f"|_fprt: ran 127.0.0.1:{open_}"]


# -- 2./6. escaping of script output (normal and XML), non-table structured results -----

OUTPUT_SCRIPTS = {
    "allbytes": """
        description = "every byte value but LF on one line, CR LF at the end"
        categories = {"safe"}
        prerule = function() return true end
        action = function()
          local s = {}
          for i = 0, 255 do if i ~= 10 then s[#s + 1] = string.char(i) end end
          return "A" .. table.concat(s) .. "Z\\nline2\\r\\n"
        end
    """,
    "number": """
        description = "a structured result that is not a table"
        categories = {"safe"}
        prerule = function() return true end
        action = function() return 42 end
    """,
    "ctable": """
        local stdnse = require "stdnse"
        description = "control bytes in keys and values"
        categories = {"safe"}
        prerule = function() return true end
        action = function()
          local t = stdnse.output_table()
          t.k = "a\\rb\\1\\tc"
          t["k\\2"] = {"x\\255", true}
          return t
        end
    """,
}


def _write_output_scripts(d: Path) -> str:
    for name, body in OUTPUT_SCRIPTS.items():
        (d / f"{name}.nse").write_text(textwrap.dedent(body), encoding="latin-1")
    return ",".join(str(d / f"{n}.nse") for n in OUTPUT_SCRIPTS)


def _our_outputs(d: Path) -> dict[str, object]:
    r = run_scripts(_write_output_scripts(d), [], options=opts())
    return {o.id: o for o in r.pre}


def test_normal_output_escapes_nonprintables(tmp_path: Path) -> None:
    outs = _our_outputs(tmp_path)
    text = format_script_output(outs["allbytes"])  # type: ignore[arg-type]
    first, second = text.split("\n")
    assert second == "|_line2\\x0D"
    assert first.startswith("| allbytes: A\\x00\\x01")
    assert "\\x08\t\\x0B\\x0C\\x0D\\x0E" in first and "}~\\x7F\\x80" in first
    assert first.endswith("\\xFE\\xFFZ") and " !\"#" in first
    assert format_script_output(outs["ctable"]) == (  # type: ignore[arg-type]
        "| ctable: \n|   k: a\\x0Db\\x01\tc\n|   k\\x02: \n|     x\\xFF\n|_    true")


def test_xml_writes_text_of_a_non_table_result(tmp_path: Path) -> None:
    from nse.output.xml import format_script

    outs = _our_outputs(tmp_path)
    xml = re.sub(r"<\?nse-script [^?]*\?>", "", format_script(outs["number"]))
    assert xml == '<script id="number" output="42">42</script>'


def _nmap_xml_scripts(xml: str) -> dict[str, str]:
    return {m.group(1): m.group(0) for m in re.finditer(
        r'<script id="(\w+)" output="[^"]*"(?:/>|>.*?</script>)', xml, re.S)}


@pytest.mark.nmap
@NMAP
def test_output_escaping_and_xml_as_nmap(tmp_path: Path) -> None:
    from nse.output.xml import format_script

    sel = _write_output_scripts(tmp_path)
    xml_path = tmp_path / "n.xml"
    out = run_nmap("-sn", "-Pn", "-n", "--script", sel, "-oX", str(xml_path), "127.0.0.1")
    pre = out[out.index("Pre-scan script results:\n") + 25:out.index("Nmap scan report")]
    ids = "|".join(OUTPUT_SCRIPTS)
    blocks = re.split(rf"\n(?=\|[ _](?:{ids}): )", pre.strip("\n"))
    want_normal = {re.match(r"\|[ _](\w+): ", b).group(1): b  # type: ignore[union-attr]
                   for b in blocks}
    want_xml = _nmap_xml_scripts(xml_path.read_bytes().decode("latin-1"))
    ours = _our_outputs(tmp_path)
    assert {k: format_script_output(o) for k, o in ours.items()} == want_normal  # type: ignore[arg-type]
    got_xml = {}
    for k, o in ours.items():
        x = re.sub(r"<\?nse-script [^?]*\?>", "", format_script(o))
        got_xml[k] = re.sub(r"></script>$", "/>", x)  # nmap: empty element self-closed
    assert got_xml == want_xml


# -- 3. SNI: an "ssl" connect and reconnect_ssl after STARTTLS send the targetname ------

SNI_SCRIPT = """
local nmap = require "nmap"
description = "STARTTLS, then a direct TLS connection; the server answers the SNI it got"
categories = {"safe"}
portrule = function() return true end
action = function(host, port)
  local s = nmap.new_socket()
  assert(s:connect(host, port))
  s:send("STARTTLS\\n")
  s:receive_buf("\\n", true)
  assert(s:reconnect_ssl())
  local _, a = s:receive_buf("\\n", false)
  s:close()
  assert(s:connect(host, port, "ssl"))
  local _, b = s:receive_buf("\\n", false)
  s:close()
  return "starttls " .. a .. ", ssl " .. b
end
"""


@pytest.fixture()
def sni_server(tmp_path: Path) -> Iterator[int]:
    """TLS directly or after "STARTTLS\\n"; sends "SNI=<name or None>\\n"."""
    import ssl
    import threading

    from .services import make_cert

    cert, key = make_cert(tmp_path)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(cert), str(key))
    names: dict[object, object] = {}
    ctx.sni_callback = lambda s, name, _c: names.__setitem__(s, name)  # type: ignore[assignment,misc,func-returns-value]
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    srv.settimeout(0.2)
    stop = threading.Event()

    def handle(c: socket.socket) -> None:
        with c:
            c.settimeout(5)
            try:
                if c.recv(1, socket.MSG_PEEK) != b"\x16":  # not a ClientHello
                    c.recv(9)
                    c.sendall(b"GO\n")
                with ctx.wrap_socket(c, server_side=True) as t:
                    t.sendall(f"SNI={names.get(t)}\n".encode())
            except OSError:
                pass

    def loop() -> None:
        while not stop.is_set():
            try:
                c, _ = srv.accept()
            except OSError:
                continue
            threading.Thread(target=handle, args=(c,), daemon=True).start()

    th = threading.Thread(target=loop, daemon=True)
    th.start()
    try:
        yield srv.getsockname()[1]
    finally:
        stop.set()
        th.join(2)
        srv.close()


def _sni_run(tmp_path: Path, port: int, **host_kw: str) -> str:
    p = tmp_path / "sni.nse"
    p.write_text(SNI_SCRIPT)
    host = fake_host("127.0.0.1", [fake_port(port)], **host_kw)
    r = run_scripts(str(p), [host], options=opts())
    return "\n".join(format_script_output(o) for o in r.hosts["127.0.0.1"].ports[("tcp", port)])


def test_sni_is_the_targetname_also_after_starttls(tmp_path: Path, sni_server: int) -> None:
    assert _sni_run(tmp_path, sni_server, targetname="localhost", name="localhost") == \
        "|_sni: starttls SNI=localhost, ssl SNI=localhost"
    # the reverse-DNS name is not sent (nmap neither)
    assert _sni_run(tmp_path, sni_server, name="localhost") == \
        "|_sni: starttls SNI=None, ssl SNI=None"


@pytest.mark.nmap
@NMAP
def test_sni_as_nmap(tmp_path: Path, sni_server: int) -> None:
    p = tmp_path / "sni.nse"
    p.write_text(SNI_SCRIPT)
    for target in ("localhost", "127.0.0.1"):
        out = run_nmap("-Pn", "-p", str(sni_server), "--script", str(p), target)
        kw = {"targetname": "localhost"} if target == "localhost" else {}
        assert _script_lines(out) == [_sni_run(tmp_path, sni_server, **kw)]


# -- 4. pcap methods exist and fail with a message saying they are not supported --------

def test_pcap_methods_give_a_clear_error(tmp_path: Path) -> None:
    p = tmp_path / "pc.nse"
    p.write_text(textwrap.dedent("""
        local nmap = require "nmap"
        description = "pcap"
        categories = {"safe"}
        prerule = function() return true end
        action = function()
          local s = nmap.new_socket()
          local r = {}
          for _, m in ipairs({"pcap_open", "pcap_register", "pcap_receive", "pcap_close"}) do
            r[#r + 1] = select(2, pcall(s[m], s, "lo", 100, false, "tcp"))
          end
          return table.concat(r, "\\n")
        end
    """))
    r = run_scripts(str(p), [], options=opts())
    assert [o.text for o in r.pre] == ["\n".join(
        f"socket:{m}: packet capture (pcap) is not supported by this engine"
        for m in ("pcap_open", "pcap_register", "pcap_receive", "pcap_close"))]


# -- 5. error and time-out states reach the writers, printing what nmap prints ----------

STATE_SCRIPTS = {
    "st_ok": "action = function() return 'fine' end",
    "st_err": "action = function() error('boom') end",
    "st_slow": "action = function() stdnse.sleep(30) return 'late' end",
    "st_try": "action = function() nmap.new_try()(false, 'gave up') end",
}


def _state_run(tmp_path: Path, debugging: int) -> dict[str, tuple[str, str]]:
    for name, body in STATE_SCRIPTS.items():
        (tmp_path / f"{name}.nse").write_text(
            'local nmap = require "nmap"\nlocal stdnse = require "stdnse"\n'
            'description = "s"\ncategories = {"safe"}\n'
            f"prerule = function() return true end\n{body}\n")
    r = run_scripts(f"{tmp_path}/", [], options=opts(script_timeout=1.0, debugging=debugging,
                                                      log=lambda _m: None))
    return {o.id: (o.state, o.text) for o in r.pre}


def test_error_and_timeout_outputs_carry_their_state(tmp_path: Path) -> None:
    failed = "ERROR: Script execution failed (use -d to debug)"
    assert _state_run(tmp_path, 0) == {
        "st_ok": ("ok", "fine"), "st_err": ("error", failed), "st_slow": ("timed-out", "")}
    # -d: nmap writes the error to the debug log and prints no script output
    assert _state_run(tmp_path, 1) == {
        "st_ok": ("ok", "fine"), "st_err": ("error", ""), "st_slow": ("timed-out", "")}


def test_writers_record_states_and_print_nothing_for_empty_text(tmp_path: Path) -> None:
    from nse.output.json import script_record
    from nse.output.normal import format_script_section
    from nse.output.xml import format_script as xml_script

    for name, body in STATE_SCRIPTS.items():
        (tmp_path / f"{name}.nse").write_text(
            'local nmap = require "nmap"\nlocal stdnse = require "stdnse"\n'
            'description = "s"\ncategories = {"safe"}\n'
            f"prerule = function() return true end\n{body}\n")
    r = run_scripts(f"{tmp_path}/", [], options=opts(script_timeout=1.0))
    assert format_script_section("Pre-scan script results:", r.pre) == (
        "Pre-scan script results:\n"
        "|_st_err: ERROR: Script execution failed (use -d to debug)\n|_st_ok: fine\n")
    slow = next(o for o in r.pre if o.id == "st_slow")
    assert 'state="timed-out"' in xml_script(slow)
    assert script_record(slow)["state"] == "timed-out"


# -- 7. a worker's Lua thread value is what coroutine.running() returns inside it --------

COROUTINE_SCRIPT = """
local nmap = require "nmap"
local stdnse = require "stdnse"
description = "worker identity"
categories = {"safe"}
prerule = function() return true end
action = function()
  local st = {}
  local cv = nmap.condvar(st)
  local co = stdnse.new_thread(function()
    st.running = coroutine.running()
    st.inside = coroutine.status(coroutine.running())
    st.base = stdnse.base()
    st.done = true
    cv "signal"
  end)
  local before = coroutine.status(co)
  while not st.done do cv "wait" end
  stdnse.sleep(0.01)
  return ("same=%s inside=%s before=%s after=%s wbase=%s base=%s type=%s"):format(
    tostring(st.running == co), st.inside, before, coroutine.status(co),
    tostring(st.base == co), tostring(stdnse.base() == coroutine.running()), type(co))
end
"""
COROUTINE_WANT = ("|_co: same=true inside=running before=suspended after=dead wbase=true "
                  "base=true type=thread")


def test_worker_coroutine_identity(tmp_path: Path) -> None:
    p = tmp_path / "co.nse"
    p.write_text(COROUTINE_SCRIPT)
    r = run_scripts(str(p), [], options=opts())
    assert [format_script_output(o) for o in r.pre] == [COROUTINE_WANT]


@pytest.mark.nmap
@NMAP
def test_worker_coroutine_identity_as_nmap(tmp_path: Path) -> None:
    p = tmp_path / "co.nse"
    p.write_text(COROUTINE_SCRIPT)
    assert _script_lines(run_nmap("-sn", "-Pn", "-n", "--script", str(p), "127.0.0.1")) == [
        COROUTINE_WANT]


# -- 8. result order: by script id (nmap 7.93's order varies from run to run) ----------

def test_outputs_sorted_by_id_not_completion(tmp_path: Path) -> None:
    for name, delay in (("zz", 0), ("mm", 0.2), ("aa", 0.4)):
        (tmp_path / f"{name}.nse").write_text(
            'local stdnse = require "stdnse"\ndescription = "o"\ncategories = {"safe"}\n'
            "prerule = function() return true end\n"
            "hostrule = function() return true end\nportrule = function() return true end\n"
            f'action = function() stdnse.sleep({delay}) return "{name}" end\n')
    host = fake_host("127.0.0.1", [fake_port(1), fake_port(2)])
    r = run_scripts(f"{tmp_path}/", [host], options=opts())
    hs = r.hosts["127.0.0.1"]
    for outs in (r.pre, r.post, hs.host, hs.ports[("tcp", 1)], hs.ports[("tcp", 2)]):
        assert [o.id for o in outs] == (["aa", "mm", "zz"] if outs is not r.post else [])


# -- a script waiting on a condvar nobody can signal does not end the scan in LoopExit ---

def test_deadlocked_script_is_stopped_and_others_finish(tmp_path: Path) -> None:
    (tmp_path / "dl.nse").write_text(textwrap.dedent("""
        local nmap = require "nmap"
        local stdnse = require "stdnse"
        description = "its worker dies before signalling"
        categories = {"safe"}
        prerule = function() return true end
        action = function()
          local cv = nmap.condvar({})
          stdnse.new_thread(function() error("no signal") end)
          cv "wait"
          return "never"
        end
    """))
    (tmp_path / "ok.nse").write_text(
        'description = "d"\ncategories = {"safe"}\nprerule = function() return true end\n'
        'action = function() return "fine" end\n')
    log: list[str] = []
    r = run_scripts(f"{tmp_path}/", [], options=opts(log=log.append))
    assert [(o.id, o.text, o.state) for o in r.pre] == [("dl", "", "error"),
                                                        ("ok", "fine", "ok")]
    assert log == ["NSE: dl deadlocked: its threads wait and nothing is left to wake them; "
                   "stopped.\n"]
