"""The engine end to end with Python-native scripts: loading checks, phases, output,
script args, error isolation, timeouts, workers, mutexes, sockets on loopback."""

from __future__ import annotations

import socket
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from nse.engine.api import EngineError, EngineOptions, run_scripts
from nse.engine.datadir import DataDirs
from nse.engine.output import format_script_output
from nse.scan.model import Host, Port


def opts(**kw: object) -> EngineOptions:
    return EngineOptions(datadirs=DataDirs([]), **kw)  # type: ignore[arg-type]


def write(dir_: Path, name: str, body: str) -> Path:
    p = dir_ / f"{name}.py"
    p.write_text(textwrap.dedent(body))
    return p


HEAD = 'description = "t"\ncategories = ["safe"]\n'


@pytest.fixture()
def sdir(tmp_path: Path) -> Path:
    d = tmp_path / "scripts"
    d.mkdir()
    return d


def texts(outs: list) -> dict[str, str]:
    return {o.id: format_script_output(o) for o in outs}


# ------------------------------------------------------------------ load-time checks

@pytest.mark.parametrize("body, msg", [
    ("categories = []\ndef prerule(): return True\n", "is missing required field: 'action'"),
    ("categories = 'safe'\ndef prerule(): return True\ndef action(): pass\n",
     "field 'categories' is of improper type 'string', expected type 'table'"),
    ("categories = []\ndef action(): pass\n", "is missing required function: 'rule'"),
    ("categories = [1]\ndef prerule(): return True\ndef action(): pass\n",
     "has non-string entries in the 'categories' array"),
    ("categories = []\nprerule = 3\ndef action(): pass\n", "prerule must be a function!"),
    ("raise ImportError('nope')\n", "Failed to load"),
])
def test_load_errors(sdir: Path, body: str, msg: str) -> None:
    p = write(sdir, "bad", body)
    with pytest.raises(EngineError, match=msg):
        run_scripts(str(p), [], options=opts())


def test_unknown_rule_is_an_error_naming_it(sdir: Path) -> None:
    with pytest.raises(EngineError, match="'nosuchthing' did not match a category"):
        run_scripts("nosuchthing", [], options=opts())


# ------------------------------------------------------------------------- phases

def test_phases_outputs_and_args(sdir: Path) -> None:
    write(sdir, "pre", HEAD + textwrap.dedent("""
        from nse.lib import stdnse, nmap
        def prerule(): return True
        def action():
            t = stdnse.output_table()
            t["who"] = stdnse.get_script_args("pre.who")[0]
            t["flag"] = stdnse.get_script_args("flag")[0]
            t["nested"] = nmap.registry["args"]["n"]
            return t
    """))
    write(sdir, "hostr", HEAD + textwrap.dedent("""
        def hostrule(host): return host.ip == "127.0.0.1"
        def action(host): return "host " + host.ip
    """))
    write(sdir, "portr", HEAD + textwrap.dedent("""
        from nse.lib import shortport
        portrule = shortport.portnumber([22, 80])
        def action(host, port): return f"{port.protocol}/{port.number} {port.state}"
    """))
    write(sdir, "post", HEAD + textwrap.dedent("""
        def postrule(): return True
        def action(): return None
    """))
    h = Host("127.0.0.1", up=True)
    for n, st in ((22, "open"), (80, "closed"), (443, "open")):
        h.ports[("tcp", n)] = Port(n, "tcp", st)
    r = run_scripts(str(sdir) + "/", [h], args="pre.who=me,flag,n={a,b}", options=opts())
    assert texts(r.pre) == {"pre": "| pre: \n|   who: me\n|   flag: 1\n|   nested: \n"
                                   "|     a\n|_    b"}
    hs = r.hosts["127.0.0.1"]
    assert texts(hs.host) == {"hostr": "|_hostr: host 127.0.0.1"}
    assert {k: texts(v) for k, v in hs.ports.items()} == {
        ("tcp", 22): {"portr": "|_portr: tcp/22 open"}}
    assert r.post == []


# --------------------------------------------------------------- error isolation

def test_errors_timeouts_and_stuck_receive_do_not_disturb_others(sdir: Path) -> None:
    # a server that accepts and never answers: the "stuck" script waits in receive
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    port = srv.getsockname()[1]
    write(sdir, "a_raises", HEAD + "def prerule(): return True\n"
          "def action(): raise RuntimeError('boom')\n")
    write(sdir, "b_sleeps", HEAD + "from nse.lib import stdnse\n"
          "def prerule(): return True\n"
          "def action():\n    stdnse.sleep(30)\n    return 'woke'\n")
    write(sdir, "c_stuck", HEAD + "from nse.lib import nmap\n"
          "def prerule(): return True\n"
          "def action():\n    s = nmap.new_socket()\n    s.set_timeout(60000)\n"
          f"    s.connect('127.0.0.1', {port})\n    return str(s.receive())\n")
    write(sdir, "d_try", HEAD + "from nse.lib import nmap\n"
          "def prerule(): return True\n"
          "def action():\n    t = nmap.new_try()\n    t(False, 'nope')\n    return 'x'\n")
    write(sdir, "e_fine", HEAD + "from nse.lib import stdnse\n"
          "def prerule(): return True\n"
          "def action():\n    stdnse.sleep(0.05)\n    return 'ok'\n")
    try:
        r = run_scripts(str(sdir) + "/", [], options=opts(script_timeout=1.0))
    finally:
        srv.close()
    assert texts(r.pre) == {
        "a_raises": "|_a_raises: ERROR: Script execution failed (use -d to debug)",
        "b_sleeps": "",  # timed out: nmap prints nothing
        "c_stuck": "",
        "e_fine": "|_e_fine: ok",
    }
    assert {o.id: o.state for o in r.pre} == {
        "a_raises": "error", "b_sleeps": "timed-out", "c_stuck": "timed-out", "e_fine": "ok"}


def test_debug_traceback_names_script_file_and_line(sdir: Path) -> None:
    p = write(sdir, "tb", HEAD + "def prerule(): return True\n"
              "def helper():\n    raise ValueError('deep')\n"
              "def action():\n    return helper()\n")
    log: list[str] = []
    r = run_scripts(str(p), [], options=opts(debugging=1, log=log.append))
    # with -d the error goes to the debug log; the output only records the state
    assert [(o.id, o.text, o.state) for o in r.pre] == [("tb", "", "error")]
    text = "".join(log)
    assert "NSE: tb threw an error!\ndeep\nstack traceback:" in text
    assert (f"stack traceback:\n\t{p}:5: in function 'helper'\n"
            f"\t{p}:7: in function 'action'\n") in text


# ------------------------------------------------------------------ threads

def test_workers_condvar_and_mutex(sdir: Path) -> None:
    write(sdir, "workers", HEAD + textwrap.dedent("""
        from nse.lib import nmap, stdnse
        def prerule(): return True
        def action():
            done = []
            cv = nmap.condvar(done)
            m = nmap.mutex("shared")
            def work(i):
                m("lock")
                stdnse.sleep(0.01)
                done.append(i)
                m("done")
                cv("signal")
            cos = [stdnse.new_thread(work, i)[0] for i in range(5)]
            while len(done) < 5:
                cv("wait")
            return ",".join(str(i) for i in sorted(done)) + " " + \\
                ",".join(c.status for c in cos)
    """))
    r = run_scripts(str(sdir) + "/", [], options=opts())
    assert texts(r.pre) == {"workers": "|_workers: 0,1,2,3,4 dead,dead,dead,dead,dead"}


# ------------------------------------------------------------------ sockets

@pytest.fixture()
def echo_server() -> Iterator[int]:
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(50)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                c, _ = srv.accept()
            except OSError:
                return
            c.sendall(b"220 hello\r\nline2\r\n")
            data = c.recv(100)
            c.sendall(b"echo:" + data)
            c.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    yield srv.getsockname()[1]
    stop.set()
    srv.close()


def test_socket_api(sdir: Path, echo_server: int) -> None:
    write(sdir, "sock", HEAD + textwrap.dedent(f"""
        from nse.lib import nmap, comm
        def prerule(): return True
        def action():
            out = []
            s = nmap.new_socket()
            out.append(s.connect("127.0.0.1", {echo_server}))
            out.append(s.receive_buf("\\r?\\n", False))
            out.append(s.receive_lines(1))
            out.append(s.send("ping"))
            out.append(s.receive_bytes(9))
            out.append(s.receive())
            st, lip, lport, rip, rport = s.get_info()
            out.append((st, lip, rip, rport))
            out.append(s.close())
            out.append(s.close())
            out.append(comm.exchange("127.0.0.1", {echo_server}, "x", None)[0])
            return repr(out)
    """))
    r = run_scripts(str(sdir) + "/", [], options=opts())
    assert texts(r.pre)["sock"] == "|_sock: " + repr([
        True, (True, "220 hello"), (True, "line2\r\n"), True, (True, "echo:ping"),
        (None, "EOF"), (True, "127.0.0.1", "127.0.0.1", echo_server), True,
        (False, "socket already closed"), True])


def test_runlevels_from_dependencies(sdir: Path) -> None:
    # b depends on a: a's whole runlevel finishes before b starts, even though a sleeps
    write(sdir, "a", HEAD + "from nse.lib import nmap, stdnse\n"
          "def prerule(): return True\n"
          "def action():\n    stdnse.sleep(0.1)\n    nmap.registry['from_a'] = 'set'\n")
    write(sdir, "b", HEAD + "from nse.lib import nmap\ndependencies = ['a', 'not-selected']\n"
          "def prerule(): return True\n"
          "def action(): return nmap.registry['from_a']\n")
    r = run_scripts(str(sdir) + "/", [], options=opts())
    assert {s.id: s.runlevel for s in r.scripts} == {"a": 1, "b": 2}
    assert texts(r.pre) == {"b": "|_b: set"}


def test_dependency_cycle_and_duplicate_ids(sdir: Path, tmp_path: Path) -> None:
    write(sdir, "x", HEAD + "dependencies = ['y']\ndef prerule(): return True\n"
          "def action(): pass\n")
    write(sdir, "y", HEAD + "dependencies = ['x']\ndef prerule(): return True\n"
          "def action(): pass\n")
    with pytest.raises(EngineError, match="circular dependency in chain `x->y->x`"):
        run_scripts(str(sdir) + "/", [], options=opts())
    other = tmp_path / "other"
    other.mkdir()
    write(other, "x", HEAD + "def prerule(): return True\ndef action(): pass\n")
    with pytest.raises(EngineError, match="duplicate script ID: 'x'"):
        run_scripts(f"{sdir}/x.py,{other}/x.py", [], options=opts())


def test_orphan_workers_are_stopped(sdir: Path) -> None:
    write(sdir, "orphan", HEAD + "from nse.lib import stdnse, nmap\n"
          "def prerule(): return True\n"
          "def action():\n"
          "    def forever():\n"
          "        while True:\n            stdnse.sleep(0.01)\n"
          "    stdnse.new_thread(forever)\n"
          "    return 'left a worker'\n")
    r = run_scripts(str(sdir) + "/", [], options=opts())
    assert texts(r.pre) == {"orphan": "|_orphan: left a worker"}


def test_default_and_version_flags(sdir: Path) -> None:
    from nse.engine.api import ScriptEngine
    from nse.engine.scriptdb import DbEntry, write_script_db

    write(sdir, "d", 'description = "t"\ncategories = ["default"]\n'
          "def prerule(): return True\ndef action(): return 'd'\n")
    write(sdir, "v", 'description = "t"\ncategories = ["version"]\n'
          "def prerule(): return True\ndef action(): return 'v'\n")
    write_script_db(sdir / "script.db", [DbEntry("d.py", ("default",)),
                                         DbEntry("v.py", ("version",))])
    o = opts()
    ids = lambda e: [s.id for s in e.scripts]  # noqa: E731
    assert ids(ScriptEngine(None, o, default=True, bundled_dir=str(sdir))) == ["d"]  # -sC
    assert ids(ScriptEngine(None, o, default=True, version=True,
                            bundled_dir=str(sdir))) == ["d", "v"]  # -sC -sV
    assert ids(ScriptEngine("d", o, default=True, bundled_dir=str(sdir))) == ["d"]
    # -sV with no version script anywhere is no error (nse_main.lua special case)
    assert ids(ScriptEngine(None, o, version=True, bundled_dir=None)) == []


def test_portrules_see_only_open_openfiltered_unfiltered_ports(sdir: Path) -> None:
    write(sdir, "every", HEAD + "def portrule(host, port): return True\n"
          "def action(host, port): return port.state\n")
    h = Host("127.0.0.1", up=True)
    for n, st in enumerate(("open", "closed", "filtered", "open|filtered", "unfiltered",
                            "closed|filtered"), start=1):
        h.ports[("tcp", n)] = Port(n, "tcp", st)
    r = run_scripts(str(sdir) + "/", [h], options=opts())
    got = {k[1]: [o.text for o in v] for k, v in r.hosts["127.0.0.1"].ports.items()}
    assert got == {1: ["open"], 4: ["open|filtered"], 5: ["unfiltered"]}


def test_host_timeout_stops_that_hosts_scripts(sdir: Path) -> None:
    write(sdir, "slow", HEAD + "from nse.lib import stdnse\n"
          "def hostrule(host): return True\n"
          "def action(host):\n"
          "    stdnse.sleep(0.4 if host.ip == '127.0.0.2' else 0.01)\n"
          "    return 'done'\n")
    fast, slow = Host("127.0.0.1", up=True), Host("127.0.0.2", up=True)
    slow.elapsed = 0.8  # the port scan already used most of the 1 s budget
    r = run_scripts(str(sdir) + "/", [fast, slow], options=opts(host_timeout=1.0))
    assert [o.text for o in r.hosts["127.0.0.1"].host] == ["done"]
    assert r.hosts["127.0.0.1"].timed_out is False
    assert [(o.text, o.state) for o in r.hosts["127.0.0.2"].host] == [("", "timed-out")]
    assert r.hosts["127.0.0.2"].timed_out is True
