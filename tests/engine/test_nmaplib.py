"""nse.lib.nmap inside the engine: port tables, version info, sockets (UDP, SSL,
timeouts), verbosity boost for scripts selected by name."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

from nse.testing import fake_host, fake_port, run_script

from . import services

HEAD = 'from nse.lib import nmap, stdnse\ndescription = "t"\ncategories = ["safe"]\n'


def test_port_state_and_version_reach_the_scanner(tmp_path: Path) -> None:
    p = tmp_path / "ver.py"
    p.write_text(HEAD + (
        "def portrule(host, port): return port.number == 8001\n"
        "def action(host, port):\n"
        "    other = nmap.get_port_state(host, {'number': 8002, 'protocol': 'tcp'})\n"
        "    first = nmap.get_ports(host, None, 'tcp', 'open')\n"
        "    nxt = nmap.get_ports(host, first, 'tcp', 'open')\n"
        "    nmap.set_port_state(host, {'number': 8002, 'protocol': 'tcp'}, 'open')\n"
        "    port.version.name = 'gopher'\n"
        "    port.version.product = 'Gophd'\n"
        "    port.version.version = '1.2'\n"
        "    nmap.set_port_version(host, port)\n"
        "    return f'{other.state} {first.number} {nxt.number}'\n"))
    ports = [fake_port(8001), fake_port(8002, state="filtered"), fake_port(8003)]
    host = fake_host("127.0.0.1", ports)
    r = run_script(str(p), host)
    assert r.port_text(8001) == "|_ver: filtered 8001 8003"
    assert ports[1].state == "open"
    assert ports[0].version["name"] == "gopher"
    assert ports[0].version["product"] == "Gophd"
    assert ports[0].version["version"] == "1.2"


def test_udp_and_timeout(tmp_path: Path) -> None:
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    uport = udp.getsockname()[1]

    def echo() -> None:
        data, addr = udp.recvfrom(100)
        udp.sendto(b"re:" + data, addr)

    threading.Thread(target=echo, daemon=True).start()
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    p = tmp_path / "udp.py"
    p.write_text(HEAD + (
        "def prerule(): return True\n"
        "def action():\n"
        "    s = nmap.new_socket('udp')\n"
        "    s.set_timeout(2000)\n"
        f"    a = s.connect('127.0.0.1', {uport})\n"
        "    b = s.send('hi')\n"
        "    c = s.receive()\n"
        "    t = nmap.new_socket()\n"
        "    t.set_timeout(100)\n"
        f"    t.connect('127.0.0.1', {silent.getsockname()[1]})\n"
        "    d = t.receive()\n"
        "    e = nmap.new_socket().connect('127.0.0.1', 1)\n"
        "    return repr([a, b, c, d, e])\n"))
    try:
        r = run_script(str(p))
    finally:
        udp.close()
        silent.close()
    assert r.text() == "|_udp: " + repr([True, True, (True, "re:hi"), (None, "TIMEOUT"),
                                         (None, "ERROR")])


def test_ssl_connect_and_certificate(tmp_path: Path) -> None:
    cert, key = services.make_cert(tmp_path)
    port = services.free_port(list(range(24433, 24500)))
    assert port is not None
    stop = services.start_tls(port, cert, key)
    p = tmp_path / "tls.py"
    p.write_text(HEAD + (
        "def prerule(): return True\n"
        "def action():\n"
        "    s = nmap.new_socket()\n"
        f"    ok = s.connect('127.0.0.1', {port}, 'ssl')\n"
        "    c = s.get_ssl_certificate()\n"
        "    s.send('GET / HTTP/1.0\\r\\n\\r\\n')\n"
        "    body = s.receive_buf('ok', True)\n"
        "    return ' '.join(str(x) for x in [ok, c.subject.commonName, c.pubkey.type,\n"
        "        c.pubkey.bits, c.sig_algorithm, c.validity.notAfter.year,\n"
        "        c.extensions[1].value, len(c.digest(c, 'sha1')), body[0]])\n"))
    try:
        r = run_script(str(p))
    finally:
        stop()
    assert r.text() == ("|_tls: True nse.test rsa 2048 sha256WithRSAEncryption 2034 "
                        "DNS:nse.test, DNS:www.nse.test 20 True")


def test_verbosity_boost_by_name(tmp_path: Path) -> None:
    d = tmp_path / "s"
    d.mkdir()
    (d / "v.py").write_text(HEAD + "def prerule(): return True\n"
                                   "def action(): return str(nmap.verbosity())\n")
    assert run_script(str(d / "v.py"), verbosity=1).text() == "|_v: 2"  # named: +1
    assert run_script(str(d) + "/", verbosity=1).text() == "|_v: 1"  # via a folder
