"""http against a loopback server started here: keep-alive, chunked bodies, redirects,
the cache, pipelining, digest auth, 404 identification and HEAD checks."""

from __future__ import annotations

import hashlib
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nse.engine.context import Runtime, set_runtime
from nse.lib import http
from nse.lua.luatable import LuaTable


class Server:
    """A tiny HTTP/1.1 server: reads pipelined requests, answers by path, logs them."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        self.connections = 0
        self.count = 0
        self.ntlm_extended = False
        self.ntlm_type1 = b""
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
            threading.Thread(target=self._serve, args=(c,), daemon=True).start()

    def _serve(self, c: socket.socket) -> None:
        buf = b""
        c.settimeout(5)
        try:
            while True:
                while b"\r\n\r\n" not in buf:
                    d = c.recv(65536)
                    if not d:
                        return
                    buf += d
                head, buf = buf.split(b"\r\n\r\n", 1)
                lines = head.decode("latin-1").split("\r\n")
                hdrs = {k.lower(): v for k, v in (ln.split(": ", 1) for ln in lines[1:])}
                n = int(hdrs.get("content-length", "0"))
                while len(buf) < n:
                    buf += c.recv(65536)
                body, buf = buf[:n], buf[n:]
                with self.lock:
                    self.requests.append((lines[0], hdrs, body))
                out, close = self._answer(lines[0], hdrs, body)
                c.sendall(out)
                if close or hdrs.get("connection", "").lower() == "close":
                    return
        except OSError:
            return
        finally:
            c.close()

    def _answer(self, line: str, hdrs: dict[str, str], body: bytes) -> tuple[bytes, bool]:
        method, path, _v = line.split(" ")

        def resp(status: str, body: bytes = b"", extra: str = "") -> bytes:
            b = b"" if method == "HEAD" else body
            return f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\n{extra}\r\n".encode() + b

        if path == "/plain":
            return resp("200 OK", b"hello"), False
        if path == "/chunked":
            return (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                b"4\r\nabcd\r\n3\r\nefg\r\n0\r\n\r\n"
            ), False
        if path == "/close":
            return b"HTTP/1.0 200 OK\r\nServer: t\r\n\r\nuntil the end", True
        if path == "/redir":
            return resp("302 Found", b"", "Location: /plain\r\n"), False
        if path == "/abs":
            return resp(
                "301 Moved", b"", f"Location: http://127.0.0.1:{self.port}/chunked\r\n"
            ), False
        if path == "/offsite":
            return resp("302 Found", b"", "Location: http://elsewhere.example/x\r\n"), False
        if path == "/loop":
            return resp("302 Found", b"", "Location: /loop\r\n"), False
        if path == "/count":
            with self.lock:
                self.count += 1
                n = self.count
            return resp("200 OK", str(n).encode()), False
        if path == "/echo":
            return resp("200 OK", body, "Set-Cookie: s=1; path=/\r\n"), False
        if path == "/ntlm":
            return _ntlm_answer(hdrs, resp, self), False
        if path == "/digest":
            auth = hdrs.get("authorization", "")
            if auth.startswith("Digest "):
                f = dict(re.findall(r'(\w[\w-]*)="?([^",]*)"?', auth[7:]))
                ha1 = hashlib.md5(b"u:r:p").hexdigest()
                ha2 = hashlib.md5(f"{method}:{f['uri']}".encode()).hexdigest()
                want = hashlib.md5(
                    f"{ha1}:{f['nonce']}:{f['nc']}:{f['cnonce']}:auth:{ha2}".encode()
                ).hexdigest()
                if f["response"] == want and f["username"] == "u":
                    return resp("200 OK", b"secret"), False
            return resp(
                "401 Unauthorized",
                b"no",
                'WWW-Authenticate: Digest realm="r", nonce="abc", qop="auth"\r\n',
            ), False
        return resp("404 Not Found", b"nothing here at 12:00:01 /" + path.encode()), False

    def close(self) -> None:
        self.sock.close()


NTLM_CHALLENGE = b"\x01\x23\x45\x67\x89\xab\xcd\xef"


def _desl(key16: bytes, data: bytes) -> bytes:
    """MS-NLMP DESL(): three DES encryptions under 7-byte slices of the padded key."""
    from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
    from cryptography.hazmat.primitives.ciphers import Cipher, modes

    k = key16 + b"\0" * 5
    out = b""
    for i in (0, 7, 14):
        bits = int.from_bytes(k[i : i + 7], "big")
        key = bytes(((bits >> (49 - 7 * j)) & 0x7F) << 1 for j in range(8))
        enc = Cipher(TripleDES(key * 3), modes.ECB()).encryptor()
        out += enc.update(data) + enc.finalize()
    return out


def _ntlm_answer(hdrs: dict[str, str], resp: Any, srv: Server) -> bytes:
    import base64

    from nse.lib import openssl

    auth = hdrs.get("authorization", "")
    if not auth.startswith("NTLM "):
        return resp("401 Unauthorized", b"", "WWW-Authenticate: NTLM\r\n")
    msg = base64.b64decode(auth[5:])
    mtype = int.from_bytes(msg[8:12], "little")
    if mtype == 1:
        srv.ntlm_type1 = msg
        flags = 0x00000001 | (0x00080000 if srv.ntlm_extended else 0) | 0x00000200
        t2 = (
            b"NTLMSSP\0"
            + (2).to_bytes(4, "little")
            + bytes(8)
            + flags.to_bytes(4, "little")
            + NTLM_CHALLENGE
            + bytes(8)
        )
        return resp(
            "401 Unauthorized",
            b"",
            "WWW-Authenticate: NTLM " + base64.b64encode(t2).decode() + "\r\n",
        )

    def field(off: int) -> bytes:
        ln = int.from_bytes(msg[off : off + 2], "little")
        at = int.from_bytes(msg[off + 4 : off + 8], "little")
        return msg[at : at + ln]

    lm, nt, user = field(12), field(20), field(36)
    nt_hash = openssl.md4("secret".encode("utf-16-le").decode("latin-1")).encode("latin-1")
    if srv.ntlm_extended:
        want = _desl(nt_hash, hashlib.md5(NTLM_CHALLENGE + lm[:8]).digest()[:8])
    else:
        want = _desl(nt_hash, NTLM_CHALLENGE)
    if nt == want and user == "alice".encode("utf-16-le"):
        return resp("200 OK", b"ntlm ok")
    return resp("401 Unauthorized", b"bad")


@pytest.fixture
def srv() -> Iterator[Server]:
    set_runtime(Runtime())
    s = Server()
    yield s
    s.close()
    set_runtime(None)


def _host() -> LuaTable:
    return LuaTable.from_dict(
        {
            "ip": "127.0.0.1",
            "name": "",
            "registry": LuaTable(),
            "times": LuaTable.from_dict({"timeout": 1}),
        }
    )


def _port(n: int) -> LuaTable:
    return LuaTable.from_dict(
        {
            "number": n,
            "protocol": "tcp",
            "service": "http",
            "state": "open",
            "version": LuaTable.from_dict({"name_confidence": 10}),
        }
    )


def test_get_plain_chunked_close(srv: Server) -> None:
    h, p = _host(), _port(srv.port)
    r = http.get(h, p, "/plain")
    assert (r["status"], r["body"], r["ssl"], r["location"]) == (200, "hello", False, None)
    assert r["header"]["content-length"] == "5"
    line, hdrs, _ = srv.requests[0]
    assert line == "GET /plain HTTP/1.1"
    assert hdrs["host"] == f"127.0.0.1:{srv.port}" and hdrs["connection"] == "close"
    assert hdrs["user-agent"] == http.USER_AGENT
    r = http.get(h, p, "/chunked")
    assert r["body"] == "abcdefg" and r["header"]["transfer-encoding"] == "chunked"
    r = http.get(h, p, "/close")
    assert (r["version"], r["body"]) == ("1.0", "until the end")


def test_redirects(srv: Server) -> None:
    h, p = _host(), _port(srv.port)
    r = http.get(h, p, "/redir")
    assert r["status"] == 200 and r["body"] == "hello"
    assert r["location"].to_list() == ["/plain"]
    r = http.get(h, p, "/abs")
    assert r["body"] == "abcdefg"
    assert r["location"].to_list() == [f"http://127.0.0.1:{srv.port}/chunked"]
    # another domain: not followed, the 302 comes back with the location recorded
    r = http.get(h, p, "/offsite")
    assert r["status"] == 302 and r["location"].to_list() == ["http://elsewhere.example/x"]
    # a loop stops after MAX_REDIRECT_COUNT follow-ups (the cache answers repeats)
    r = http.get(h, p, "/loop")
    assert r["status"] == 302 and len(r["location"]) == 6
    r = http.get(h, p, "/redir", LuaTable.from_dict({"redirect_ok": False}))
    assert r["status"] == 302 and r["location"].to_list() == ["/plain"]
    # redirect_ok as a function(host, port) returning the per-URL check, or a count
    seen = []

    def only_plain(host: object, port: object) -> object:
        def check(u: LuaTable) -> tuple[bool, str]:
            seen.append(u["path"])
            return u["path"] == "/plain", "extra value"

        return check, "ignored"

    r = http.get(h, p, "/redir", LuaTable.from_dict({"redirect_ok": only_plain}))
    assert r["body"] == "hello" and seen == ["/plain"]
    r = http.get(h, p, "/abs", LuaTable.from_dict({"redirect_ok": only_plain}))
    assert r["status"] == 301 and seen == ["/plain", "/chunked"]
    r = http.get(h, p, "/redir", LuaTable.from_dict({"redirect_ok": 0}))
    assert r["status"] == 302
    r = http.get_url(f"http://127.0.0.1:{srv.port}/redir")
    assert r["status"] == 200 and r["body"] == "hello"


def test_cache(srv: Server) -> None:
    h, p = _host(), _port(srv.port)
    a = http.get(h, p, "/count")
    b = http.get(h, p, "/count")
    assert a["body"] == b["body"] == "1" and a is not b
    assert http.get(h, p, "/count", LuaTable.from_dict({"bypass_cache": True}))["body"] == "2"
    # HEAD is cached separately from GET (same key, other method: refetch)
    assert http.head(h, p, "/count")["status"] == 200
    assert http.get(h, p, "/count")["body"] == "4"
    assert http.get(h, p, "/count", LuaTable.from_dict({"no_cache": True}))["body"] == "4"
    assert sum(1 for r in srv.requests if r[0].endswith("/count HTTP/1.1")) == 4


def test_post_put_cookies_auth(srv: Server) -> None:
    h, p = _host(), _port(srv.port)
    r = http.post(h, p, "/echo", None, None, "a=1&b=2")
    assert r["body"] == "a=1&b=2"
    assert r["cookies"][1]["name"] == "s" and r["cookies"][1]["path"] == "/"
    _line, hdrs, _ = srv.requests[-1]
    assert hdrs["content-length"] == "7"
    r = http.post(h, p, "/echo", None, None, LuaTable.from_dict({"q": "a b&c"}))
    assert r["body"] == "q=a%20b%26c"
    assert srv.requests[-1][1]["content-type"] == "application/x-www-form-urlencoded"
    r = http.put(
        h,
        p,
        "/echo",
        LuaTable.from_dict(
            {"auth": LuaTable.from_dict({"username": "u", "password": "p"}), "cookies": "k=v"}
        ),
        "PUTDATA",
    )
    assert r["body"] == "PUTDATA"
    line, hdrs, _ = srv.requests[-1]
    assert line == "PUT /echo HTTP/1.1" and hdrs["authorization"] == "Basic dTpw"
    assert hdrs["cookie"] == "k=v"
    assert http.put(h, p, "/echo")["status-line"] == "No file to PUT."


def test_digest_auth(srv: Server) -> None:
    h, p = _host(), _port(srv.port)
    opts = LuaTable.from_dict(
        {"auth": LuaTable.from_dict({"username": "u", "password": "p", "digest": True})}
    )
    r = http.get(h, p, "/digest", opts)
    assert r["status"] == 200 and r["body"] == "secret"
    assert http.get(h, p, "/plain", opts)["status-line"].startswith(
        "The target doesn't support digest auth"
    )


def test_pipeline(srv: Server) -> None:
    h, p = _host(), _port(srv.port)
    reqs = None
    for path in ["/plain", "/chunked", "/count", "/plain", "/nope"] * 3:
        reqs = http.pipeline_add(path, None, reqs)
    reqs = http.pipeline_add("/plain", None, reqs, "HEAD")
    before = srv.connections
    rs = http.pipeline_go(h, p, reqs)
    assert len(rs) == 16
    assert [r["status"] for r in rs.to_list()] == [200, 200, 200, 200, 404] * 3 + [200]
    assert rs[2]["body"] == "abcdefg" and rs[16]["body"] == ""
    assert [rs[i]["body"] for i in (3, 8, 13)] == ["1", "2", "3"]
    # keep-alive: everything went over one connection (limit 40 for an HTTP/1.1 server)
    assert srv.connections - before == 1
    assert srv.requests[-1][1]["connection"] == "close"


def test_pipeline_limits(srv: Server) -> None:
    from nse.engine.context import runtime

    runtime().registry["args"] = LuaTable.from_dict({"http.pipeline": 2})
    h, p = _host(), _port(srv.port)
    reqs = None
    for _ in range(5):
        reqs = http.pipeline_add("/plain", None, reqs)
    before = srv.connections
    rs = http.pipeline_go(h, p, reqs)
    assert [r["body"] for r in rs.to_list()] == ["hello"] * 5
    assert srv.connections - before == 3


def test_404_and_head(srv: Server) -> None:
    h, p = _host(), _port(srv.port)
    assert http.identify_404(h, p) == (True, 404)
    assert h["registry"]["http_404"][srv.port].to_list() == [True, 404]
    ok, data = http.can_use_head(h, p, 404, "/plain")
    assert ok is True and data["status"] == 200 and data["body"] == ""
    assert http.page_exists(http.get(h, p, "/plain"), 404, None, "/plain") is True
    assert http.page_exists(http.get(h, p, "/zzz"), 404, None, "/zzz") is False
    r = http.get(h, p, "/plain")
    ok, caps = http.response_contains(r, "HEL+O")
    assert ok is True and caps.to_list() == ["hello"]
    assert http.response_contains(r, "HEL+O", True) is False


def test_connect_failure() -> None:
    set_runtime(Runtime())
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    r = http.get(_host(), _port(port), "/")
    assert r["status"] is None and r["status-line"] == "Error creating socket."
    r = http.get(_host(), LuaTable.from_dict({"number": port, "protocol": "udp"}), "/")
    assert r["status-line"] == "Unsupported protocol."
    set_runtime(None)


def test_script_args(srv: Server) -> None:
    from nse.engine.context import runtime

    runtime().registry["args"] = LuaTable.from_dict(
        {
            "http.useragent": "Probe/2",
            "http.host": "vhost.example",
            "http.max-body-size": "3",
            "http.truncated-ok": "true",
        }
    )
    h, p = _host(), _port(srv.port)
    r = http.get(h, p, "/plain")
    assert r["body"] == "hel" and r["truncated"] is True and r["status"] == 200
    _line, hdrs, _ = srv.requests[-1]
    assert hdrs["user-agent"] == "Probe/2" and hdrs["host"] == "vhost.example"
    # truncated responses are not cached
    http.get(h, p, "/plain")
    assert len(srv.requests) == 2
    runtime().registry["args"] = LuaTable.from_dict({"http.max-body-size": "3"})
    r = http.get(h, p, "/plain")
    assert r["status"] is None
    assert r["status-line"] == "Error in next_response function; Received response body too large"
    assert r["incomplete"]["body"] == "hel"


def test_concurrent_threads_share_one_fetch(srv: Server, tmp_path: Path) -> None:
    """Ten script threads asking for the same page at once: one request goes out (the
    others wait on the cache lock and get a copy)."""
    from nse.testing import fake_host, fake_port, run_script

    script = tmp_path / "cachetest.py"
    script.write_text(
        "from nse.lib import http, nmap, stdnse\n"
        "description = 't'\ncategories = ['safe']\n"
        "def portrule(host, port): return True\n"
        "def action(host, port):\n"
        "    out = []\n"
        "    cv = nmap.condvar(out)\n"
        "    def work():\n"
        "        out.append(http.get(host, port, '/count')['body'])\n"
        "        cv('signal')\n"
        "    for _ in range(10):\n"
        "        stdnse.new_thread(work)\n"
        "    while len(out) < 10:\n"
        "        cv('wait')\n"
        "    return ' '.join(out)\n"
    )
    host = fake_host("127.0.0.1", ports=[fake_port(srv.port, service="http")])
    r = run_script(str(script), host)
    assert r.port_text(srv.port) == "|_cachetest: " + " ".join(["1"] * 10)
    assert srv.count == 1


def test_https(tmp_path: Path) -> None:
    """http over TLS: get_url with an https URL, and get on a port comm.tryssl finds TLS on."""
    import datetime
    import ssl

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(datetime.datetime(2024, 1, 1))
        .not_valid_after(datetime.datetime(2034, 1, 1))
        .sign(key, hashes.SHA256())
    )
    (tmp_path / "c.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "k.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(tmp_path / "c.pem"), str(tmp_path / "k.pem"))
    set_runtime(Runtime())
    srv = Server()
    plain_serve = srv._serve

    def tls_serve(c: socket.socket) -> None:
        try:
            plain_serve(ctx.wrap_socket(c, server_side=True))
        except (OSError, ssl.SSLError):
            c.close()

    srv._serve = tls_serve  # type: ignore[method-assign]
    try:
        r = http.get_url(f"https://127.0.0.1:{srv.port}/chunked")
        assert (r["status"], r["body"], r["ssl"]) == (200, "abcdefg", True)
        port = _port(srv.port)
        port["service"] = "https"
        r = http.get(_host(), port, "/redir")
        assert (r["status"], r["body"], r["ssl"]) == (200, "hello", True)
        assert srv.requests[-1][1]["host"] == f"127.0.0.1:{srv.port}"
    finally:
        srv.close()
        set_runtime(None)


@pytest.mark.parametrize("extended", [False, True])
def test_ntlm_auth(srv: Server, extended: bool) -> None:
    srv.ntlm_extended = extended
    opts = LuaTable.from_dict(
        {"auth": LuaTable.from_dict({"username": "alice", "password": "secret", "ntlm": True})}
    )
    before = srv.connections
    r = http.get(_host(), _port(srv.port), "/ntlm", opts)
    assert (r["status"], r["body"]) == (200, "ntlm ok")
    # the probe, then type 1 and type 3 on one keep-alive connection
    assert srv.connections - before == 2
    t1 = srv.ntlm_type1
    assert t1[:12] == b"NTLMSSP\0\x01\0\0\0" and t1[12:16] == bytes.fromhex("07b208a2")
    assert t1.endswith(b"localhostNMAP")
    r = http.get(_host(), _port(srv.port), "/plain", opts)
    assert r["status-line"].startswith("The target doesn't support NTLM")


def test_cache_size_limit(srv: Server) -> None:
    """Past http.max-cache-size the least recently used bodies are emptied; as in nselib
    the emptied record stays in the cache and later hits return it with an empty body."""
    from nse.engine.context import runtime

    runtime().registry["args"] = LuaTable.from_dict({"http.max-cache-size": "10"})
    h, p = _host(), _port(srv.port)
    assert http.get(h, p, "/plain")["body"] == "hello"  # cache: 5 bytes
    assert http.get(h, p, "/plain")["body"] == "hello"  # a hit, no request
    assert http.get(h, p, "/chunked")["body"] == "abcdefg"  # 12 > 10: /plain emptied
    assert len(srv.requests) == 2
    assert http.get(h, p, "/chunked")["body"] == "abcdefg"
    r = http.get(h, p, "/plain")
    assert (r["status"], r["body"]) == (200, "")
    assert len(srv.requests) == 2
