"""A tiny set of listeners for one lab host: accept TCP connections, answer UDP datagrams.

Run inside a host namespace by :mod:`tools.lab.lab`:
``python listener.py --tcp 22,80 --udp 53,7`` (addresses: all of the namespace's).
TCP: accept and close (the handshake is what a port scan sees).  UDP: echo a short reply
to any datagram, so a UDP scan sees the port as open.  Prints "ready" once every socket is
bound, so the lab can wait for it.
"""

from __future__ import annotations

import argparse
import selectors
import socket
import sys


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tcp", default="")
    ap.add_argument("--udp", default="")
    ap.add_argument("--bind", default="0.0.0.0")
    a = ap.parse_args()
    sel = selectors.DefaultSelector()
    for p in filter(None, a.tcp.split(",")):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((a.bind, int(p)))
        s.listen(1024)
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, "tcp")
    for p in filter(None, a.udp.split(",")):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((a.bind, int(p)))
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, "udp")
    print("ready", flush=True)
    sys.stdout.close()
    while True:
        for key, _ in sel.select():
            s = key.fileobj
            assert isinstance(s, socket.socket)
            try:
                if key.data == "tcp":
                    c, _ = s.accept()
                    c.close()
                else:
                    _, addr = s.recvfrom(4096)
                    s.sendto(b"lab\n", addr)
            except OSError:
                pass


if __name__ == "__main__":
    main()
