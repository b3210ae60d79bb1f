"""nse.testing: the harness script authors use."""

from __future__ import annotations

from pathlib import Path

from nse.testing import fake_host, fake_port, run_script, tcp_server

SCRIPT = '''
from nse.lib import comm, shortport
description = "Reads a banner."
categories = ["safe"]
portrule = shortport.port_or_service([21], ["ftp"])
def action(host, port):
    ok, banner = comm.get_banner(host, port, {"lines": 1})
    return banner.rstrip("\\r\\n") if ok else None
'''


def test_banner_against_local_service(tmp_path: Path) -> None:
    p = tmp_path / "tiny-banner.py"
    p.write_text(SCRIPT)
    with tcp_server(banner=b"220 ready\r\n") as port:
        host = fake_host("127.0.0.1", [fake_port(port, service="ftp"),
                                       fake_port(port + 1 if port < 65535 else 1,
                                                 service="http")])
        r = run_script(str(p), host)
    assert r.port_text(port) == "|_tiny-banner: 220 ready"
    assert len(r.outputs()) == 1


def test_force_and_exchange(tmp_path: Path) -> None:
    p = tmp_path / "ask.py"
    p.write_text('from nse.lib import comm\ndescription = "x"\ncategories = ["safe"]\n'
                 'def portrule(host, port): return False\n'
                 'def action(host, port):\n'
                 '    ok, r = comm.exchange(host, port, "PING\\r\\n")\n'
                 '    return r if ok else "fail"\n')
    with tcp_server(respond={b"PING\r\n": b"PONG\r\n"}) as port:
        host = fake_host("127.0.0.1", [fake_port(port)])
        assert run_script(str(p), host).outputs() == []
        r = run_script(str(p), host, force=True)
    # nmap prints a raw CR as \x0D (normal output escapes non-printables)
    assert r.port_text(port) == "|_ask: PONG\\x0D"
    assert r.pre == [] and r.post == []  # forcing adds no pre-/post-scan run


def test_docs_example_runs(tmp_path: Path) -> None:
    # docs/writing-scripts.md: the script and the test shown there work as written
    import re

    doc = (Path(__file__).resolve().parents[2] / "docs" / "writing-scripts.md").read_text()
    script, test = re.findall(r"```python\n(.*?)```", doc, re.S)[:2]
    (tmp_path / "ftp-hello.py").write_text(script)
    test = test.replace("scripts_py/ftp-hello.py", str(tmp_path / "ftp-hello.py"))
    ns: dict = {}
    exec(compile(test, "writing-scripts.md", "exec"), ns)
    ns["test_ftp_hello"]()
