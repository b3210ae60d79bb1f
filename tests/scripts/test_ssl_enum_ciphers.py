"""ssl-enum-ciphers: ours (Lua and its Python twin) against nmap's on Python ``ssl``
servers with an RSA certificate made by ``cryptography``, one server configuration per
case: server and client cipher preference, TLSv1.0-TLSv1.3, anonymous and DHE suites."""

from __future__ import annotations

import re
import shutil
import socket
import ssl
import subprocess
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from .harness import HAVE_NMAP, outputs

nmap = pytest.mark.skipif(not HAVE_NMAP, reason="nmap not installed")
pytest.importorskip("cryptography.x509")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import dh

    from .test_tls import make_cert

    tmp = tmp_path_factory.mktemp("enum")
    cert, key = make_cert(tmp, "rsa")
    ec_cert, ec_key = make_cert(tmp, "ec")
    weak = make_weak_cert(tmp)
    small = make_weak_cert(tmp, "sha256")
    # 1024-bit group: weaker than the 2048-bit certificate key, which the script must flag
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # FFDH deprecation notice
        params = dh.generate_parameters(2, 1024)
    dhp = tmp / "dh.pem"
    dhp.write_bytes(params.parameter_bytes(serialization.Encoding.PEM,
                                           serialization.ParameterFormat.PKCS3))
    out = {"cert": cert, "key": key, "dh": dhp, "ec-cert": ec_cert, "ec-key": ec_key}
    if weak:
        out["weak-cert"], out["weak-key"] = weak
    if small:
        out["small-cert"], out["small-key"] = small
    return out


def make_weak_cert(tmp: Path, digest: str = "sha1") -> tuple[Path, Path] | None:
    """A self-signed 1024-bit RSA certificate signed with ``digest``, made by the openssl
    tool (``cryptography`` refuses SHA-1 signatures); None without that tool."""
    tool = shutil.which("openssl")
    if tool is None:
        return None
    cp, kp = tmp / f"weak-{digest}.pem", tmp / f"weak-{digest}.key"
    subprocess.run([tool, "req", "-x509", "-newkey", "rsa:1024", f"-{digest}", "-nodes",
                    "-subj", "/CN=weak.nse.test", "-days", "3650",
                    "-keyout", str(kp), "-out", str(cp)],
                   check=True, capture_output=True, timeout=60)
    return cp, kp


@contextmanager
def server(files: dict[str, Path], ciphers: str, *, tls13: bool = True,
           client_order: bool = False, dh: bool = False, cert: str = "") -> Iterator[int]:
    """A TLS server on 127.0.0.1 accepting TLSv1.0 and up (up to 1.2 unless ``tls13``),
    with the RSA certificate or the ``cert`` one ("ec", "weak", "small")."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    # first: @SECLEVEL=0 also lets the small certificate key and DH group load
    ctx.set_ciphers(ciphers)
    prefix = cert + "-" if cert else ""
    ctx.load_cert_chain(str(files[prefix + "cert"]), str(files[prefix + "key"]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # TLSv1 is deprecated, which is why we test it
        ctx.minimum_version = ssl.TLSVersion.TLSv1
    if not tls13:
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    if dh:
        ctx.load_dh_params(str(files["dh"]))
    if client_order:
        ctx.options &= ~ssl.OP_CIPHER_SERVER_PREFERENCE
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)

    def one(c: socket.socket) -> None:
        c.settimeout(5)
        try:
            with ctx.wrap_socket(c, server_side=True) as s:
                s.recv(1024)
        except (OSError, ssl.SSLError):
            pass

    def loop() -> None:
        while True:
            try:
                c, _ = srv.accept()
            except OSError:
                return
            threading.Thread(target=one, args=(c,), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()
    try:
        yield srv.getsockname()[1]
    finally:
        srv.close()


# (ciphers, options, lines nmap's output must hold: guards against both sides being empty
# or both missing the feature the case is about)
CASES: dict[str, tuple[str, dict[str, Any], list[str]]] = {
    "all": ("ALL:@SECLEVEL=0", {},
            ["|   TLSv1.3: ", "Anonymous key exchange, score capped at F",
             "(ecdh_x25519) - A", "|_  least strength: F"]),
    "three": ("ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA:@SECLEVEL=0", {},
              ["|     cipher preference: server",
               "|     cipher preference error: Too few ciphers supported",
               "Forward Secrecy not supported by any cipher", "(rsa 2048) - A"]),
    "client-order": ("AES128-SHA:AES256-SHA:ECDHE-RSA-AES128-SHA:@SECLEVEL=0",
                     {"client_order": True, "tls13": False},
                     ["|     cipher preference: client", "(secp256r1) - A"]),
    "dhe": ("DHE-RSA-AES128-SHA:@SECLEVEL=0", {"dh": True, "tls13": False},
            ["TLS_DHE_RSA_WITH_AES_128_CBC_SHA (dh 1024) - A",
             "Key exchange (dh 1024) of lower strength than certificate key"]),
    "ecdsa": ("ALL:@SECLEVEL=0", {"cert": "ec"},
              ["TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 (ecdh_x25519) - A",
               "TLS_AKE_WITH_AES_256_GCM_SHA384 (ecdh_x25519) - A"]),
    "sha1-1024": ("AES128-SHA:AES256-SHA:@SECLEVEL=0", {"cert": "weak", "tls13": False},
                  ["TLS_RSA_WITH_AES_128_CBC_SHA (rsa 1024) - F",
                   "Insecure certificate signature (SHA1), score capped at F"]),
    # 1024-bit RSA with AES-128: 0.43 * 0.8 + 0.57 * 0.8, right on the A boundary
    "rsa-1024": ("AES128-SHA:AES256-SHA:ECDHE-RSA-AES128-SHA:@SECLEVEL=0",
                 {"cert": "small", "tls13": False},
                 ["TLS_RSA_WITH_AES_128_CBC_SHA (rsa 1024) - A",
                  "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA (ecdh_x25519) - A"]),
}


@nmap
@pytest.mark.nmap
@pytest.mark.parametrize("case", list(CASES))
def test_ssl_enum_ciphers(files: dict[str, Path], case: str) -> None:
    ciphers, opts, expect = CASES[case]
    if f"{opts.get('cert')}-cert" not in files and opts.get("cert"):
        pytest.skip("no openssl tool to make the 1024-bit certificates")
    with server(files, ciphers, **opts) as port:
        want, lua, twin = outputs("ssl-enum-ciphers", port, "https")
    for line in expect:
        assert line in want
    if not opts.get("tls13", True):
        assert "TLSv1.3" not in want
    assert lua == want
    assert twin == lua


@contextmanager
def junk_server(reply: bytes) -> Iterator[int]:
    """A service that answers any request with ``reply`` and closes."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)

    def one(c: socket.socket) -> None:
        c.settimeout(5)
        try:
            if reply:
                c.recv(4096)
                c.sendall(reply)
        except OSError:
            pass
        finally:
            c.close()

    def loop() -> None:
        while True:
            try:
                c, _ = srv.accept()
            except OSError:
                return
            threading.Thread(target=one, args=(c,), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()
    try:
        yield srv.getsockname()[1]
    finally:
        srv.close()


JUNK = {
    "closes": b"",
    "http": b"HTTP/1.0 400 Bad Request\r\n\r\n",
    # a handshake record whose ServerHello is one byte long: the tls library raises
    "short-hello": bytes.fromhex("16030300050200000100"),
    "fatal-alert": bytes.fromhex("15030100020228"),
}


@nmap
@pytest.mark.nmap
@pytest.mark.parametrize("junk", list(JUNK))
def test_not_tls(junk: str) -> None:
    # no version works: no output at all, and no script error, as nmap
    with junk_server(JUNK[junk]) as port:
        want, lua, twin = outputs("ssl-enum-ciphers", port, "https")
    assert want == ""
    assert lua == want
    assert twin == lua


def canonical(element: str) -> object:
    """A ``<script>`` element as (output text, value): a table whose children all have
    keys becomes a dict (nmap writes a plain Lua table's fields in hash order, which
    changes from run to run), any other table a list."""
    import xml.etree.ElementTree as ET

    def value(e: ET.Element) -> object:
        if e.tag == "elem":
            return e.text or ""
        kids = list(e)
        if kids and all("key" in k.attrib for k in kids):
            return {k.attrib["key"]: value(k) for k in kids}
        return [value(k) for k in kids]

    root = ET.fromstring(element)
    return root.attrib["output"], value(root)


def nmap_xml(port: int) -> str:
    """nmap's ``<script id="ssl-enum-ciphers">`` element."""
    from .harness import NMAP

    assert NMAP is not None
    proc = subprocess.run([NMAP, "-Pn", "-n", "-sT", "-p", str(port), "--script",
                           "+ssl-enum-ciphers", "-oX", "-", "127.0.0.1"],
                          capture_output=True, timeout=60, check=False)
    text = proc.stdout.decode("latin-1")
    start = text.index('<script id="ssl-enum-ciphers"')
    return text[start:text.index("</script>", start) + len("</script>")]


def our_xml(path: str, port: int) -> str:
    """Our ``<script>`` element, without the engine's script-state instruction."""
    from nse.output.xml import format_script
    from nse.testing import fake_host, fake_port, run_script

    from .harness import ROOT

    host = fake_host("127.0.0.1", [fake_port(port, service="https")])
    (out,) = run_script(str(ROOT / path), host).outputs()
    return re.sub(r"<\?.*?\?>", "", format_script(out))


@nmap
@pytest.mark.nmap
@pytest.mark.parametrize("case", ["three", "client-order"])
def test_ssl_enum_ciphers_xml(files: dict[str, Path], case: str) -> None:
    # the structured output: one table per version, cipher tables kex_info/name/strength
    ciphers, opts, _ = CASES[case]
    with server(files, ciphers, **opts) as port:
        want = canonical(nmap_xml(port))
        lua = our_xml("scripts_lua/ssl-enum-ciphers.nse", port)
        twin = our_xml("scripts_py/ssl-enum-ciphers.py", port)
    assert want[1]["TLSv1.2"]["ciphers"][-1] == {  # type: ignore[index]
        "kex_info": "rsa 2048", "name": "TLS_RSA_WITH_AES_256_CBC_SHA", "strength": "A"}
    assert canonical(lua) == want
    # the key order of the elements is ours to fix; the twin keeps it
    assert twin == lua


@contextmanager
def smtp_starttls_server(files: dict[str, Path], count: list[int]) -> Iterator[int]:
    """An SMTP server that speaks TLS only after STARTTLS (``count[0]`` counts them)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.set_ciphers("ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA:@SECLEVEL=0")
    ctx.load_cert_chain(str(files["cert"]), str(files["key"]))
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)

    def one(c: socket.socket) -> None:
        c.settimeout(5)
        try:
            f = c.makefile("rb")
            # a Postfix greeting, so that nmap -sV calls the service smtp
            c.sendall(b"220 mail.nse.test ESMTP Postfix\r\n")
            while line := f.readline():
                cmd = line.strip().upper()
                if cmd.startswith((b"EHLO", b"HELO")):
                    c.sendall(b"250-mail.nse.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n")
                elif cmd == b"STARTTLS":
                    count[0] += 1
                    c.sendall(b"220 2.0.0 Ready to start TLS\r\n")
                    with ctx.wrap_socket(c, server_side=True) as s:
                        s.recv(1024)
                    return
                elif cmd == b"QUIT":
                    c.sendall(b"221 2.0.0 Bye\r\n")
                    return
                else:
                    c.sendall(b"502 5.5.2 Error: command not recognized\r\n")
        except (OSError, ssl.SSLError):
            pass
        finally:
            c.close()

    def loop() -> None:
        while True:
            try:
                c, _ = srv.accept()
            except OSError:
                return
            threading.Thread(target=one, args=(c,), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()
    try:
        yield srv.getsockname()[1]
    finally:
        srv.close()


@nmap
@pytest.mark.nmap
def test_ssl_enum_ciphers_smtp_starttls(files: dict[str, Path]) -> None:
    # the portrule takes an smtp port and every ClientHello goes after STARTTLS
    from .harness import nmap_block, our_block

    count = [0]
    with smtp_starttls_server(files, count) as port:
        want = nmap_block("ssl-enum-ciphers", port, extra=["-sV"])  # -sV: service smtp
        count[0] = 0
        lua = our_block("scripts_lua/ssl-enum-ciphers.nse", port, "smtp")
        ours_starttls = count[0]
        twin = our_block("scripts_py/ssl-enum-ciphers.py", port, "smtp")
    assert "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (ecdh_x25519) - A" in want
    assert ours_starttls > 0
    assert lua == want
    assert twin == lua
