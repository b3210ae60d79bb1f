"""Raw sockets: the thin I/O layer under the raw scans.

* send IPv4 packets with ``AF_INET/SOCK_RAW/IPPROTO_RAW`` (we build the IP header; the
  kernel routes, resolves the next hop by ARP and fills the IP checksum),
* receive every IPv4 packet of the namespace with ``AF_PACKET/SOCK_DGRAM/ETH_P_IP``
  (link header stripped; outgoing copies ignored where the kernel supports it),
* send and receive ARP with ``AF_PACKET/SOCK_RAW/ETH_P_ARP`` on one interface.

Nothing is suppressed in the kernel: it answers a SYN-ACK to our SYN with a RST itself,
as it does for nmap.
"""

from __future__ import annotations

import ctypes
import errno
import socket
import struct
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["RawIO", "ArpIO"]

ETH_P_IP = 0x0800
ETH_P_ARP = 0x0806
SOL_PACKET = 263
PACKET_IGNORE_OUTGOING = 23
PACKET_OUTGOING = 4
SO_ATTACH_FILTER = 26

# A classic BPF program run by the kernel on every IPv4 packet before it is queued to us.
# Offsets are from the IP header (SOCK_DGRAM packet sockets strip the link header).
# It drops TCP segments that carry neither RST nor SYN+ACK: no scan learns anything from
# them, and on loopback they are our own probes coming back in, which would double the
# packets Python has to look at in a full-range scan.
_BPF_REPLIES_ONLY = [
    (0x30, 0, 0, 9),        # 0: A = ip[9] (protocol)
    (0x15, 0, 6, 6),        # 1: if A != TCP goto accept
    (0xB1, 0, 0, 0),        # 2: X = 4 * (ip[0] & 0xf) (IP header length)
    (0x50, 0, 0, 13),       # 3: A = tcp flags
    (0x45, 3, 0, 0x04),     # 4: if A & RST goto accept
    (0x54, 0, 0, 0x12),     # 5: A &= SYN|ACK
    (0x15, 1, 0, 0x12),     # 6: if A == SYN|ACK goto accept
    (0x06, 0, 0, 0),        # 7: drop
    (0x06, 0, 0, 0x40000),  # 8: accept: keep up to 256 KiB
]


class _IoVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


class _MsgHdr(ctypes.Structure):
    _fields_ = [("name", ctypes.c_void_p), ("namelen", ctypes.c_uint32),
                ("iov", ctypes.POINTER(_IoVec)), ("iovlen", ctypes.c_size_t),
                ("control", ctypes.c_void_p), ("controllen", ctypes.c_size_t),
                ("flags", ctypes.c_int)]


class _MMsgHdr(ctypes.Structure):
    _fields_ = [("hdr", _MsgHdr), ("len", ctypes.c_uint)]


def _libc_fn(name: str) -> Any:
    try:
        fn = getattr(ctypes.CDLL(None, use_errno=True), name)
    except (OSError, AttributeError):
        return None
    fn.restype = ctypes.c_int
    return fn


class _MMsg:
    """``sendmmsg(2)`` / ``recvmmsg(2)`` over ``n`` fixed slots of one buffer: one system
    call moves a whole batch of packets.  On a full-range loopback scan the per-packet
    ``send``/``recv`` calls through the socket module were a fifth of our CPU time; the
    kernel's own work per packet is the same either way."""

    def __init__(self, n: int, slot: int, names: int = 0) -> None:
        self.n = n
        self.slot = slot
        self.buf = (ctypes.c_char * (n * slot))()
        self.view = memoryview(self.buf).cast("B")
        self.iov = (_IoVec * n)()
        self.msgs = (_MMsgHdr * n)()
        self.names = (ctypes.c_char * (max(names, 1) * n))()
        base = ctypes.addressof(self.buf)
        nbase = ctypes.addressof(self.names)
        for i in range(n):
            self.iov[i].base = base + i * slot
            self.iov[i].len = slot
            m = self.msgs[i].hdr
            m.iov = ctypes.pointer(self.iov[i])
            m.iovlen = 1
            if names:
                m.name = nbase + i * names
                m.namelen = names
        self.names_size = names
        self._lens = [slot] * n
        self.all_len = slot  # the length every slot has, -1 when they differ
        self.named = bool(names)  # whether the messages carry an address
        self.dst: str | None = None  # the address written into every name slot
        #: the probe template whose bytes the first ``filled`` slots hold (send side:
        #: probes for the same host then rewrite only their ports and checksum)
        self.owner: object = None
        self.filled = 0
        # msg_len of message i, read without a ctypes attribute access per packet
        stride = ctypes.sizeof(_MMsgHdr) // 4
        off = _MMsgHdr.len.offset // 4
        lens = memoryview(self.msgs).cast("B").cast("I")
        self.msg_len: Callable[[int], int] = lambda i: lens[i * stride + off]
        #: msg_len of messages 0..n-1 in one C-level slice: ``lens_of(n)``
        self.lens_of: Callable[[int], list[int]] = \
            lambda count: lens[off:count * stride:stride].tolist()

    def set_len(self, i: int, length: int) -> None:
        """Set the length of slot ``i``'s packet (send side)."""
        if self._lens[i] != length:
            self._lens[i] = length
            self.iov[i].len = length
            self.all_len = -1


_sendmmsg = _libc_fn("sendmmsg")
_recvmmsg = _libc_fn("recvmmsg")
_MSG_DONTWAIT = 0x40
SEND_BATCH = 64  # probes per sendmmsg; ultra's bursts are at most this long
RECV_SLOT = 2048  # bytes kept of each received packet (headers are all we read)


def _attach_filter(sock: socket.socket, program: list[tuple[int, int, int, int]]) -> bool:
    """Attach a classic BPF program (SO_ATTACH_FILTER); False when the kernel refuses."""
    code = b"".join(struct.pack("HBBI", *ins) for ins in program)
    buf = ctypes.create_string_buffer(code, len(code))
    fprog = struct.pack("HL", len(program), ctypes.addressof(buf))
    try:
        sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, fprog)
    except OSError:
        return False
    return True


class RawIO:
    """One raw send socket and one packet receive socket."""

    def __init__(self, trace: bool = False) -> None:
        self.send_sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
        self.send_sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
        self.recv_sock = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                                       socket.htons(ETH_P_IP))
        self.recv_sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        try:
            self.recv_sock.setsockopt(SOL_PACKET, PACKET_IGNORE_OUTGOING, 1)
            self.ignores_outgoing = True
        except OSError:
            self.ignores_outgoing = False
        #: batched sending with sendmmsg (False: the C library has none)
        self.can_batch = _sendmmsg is not None
        self._batch: _MMsg | None = None
        self._rbatch = _MMsg(256, RECV_SLOT, 20) if _recvmmsg is not None else None
        self.recv_sock.setblocking(False)
        self.filtered = _attach_filter(self.recv_sock, _BPF_REPLIES_ONLY)
        # packets queued before the filter was attached
        self.recv_all()
        self.trace = trace
        self.sent = 0
        self._focus_dst: str | None = None
        self._focus_sock: socket.socket | None = None

    def focus(self, dst: str | None) -> None:
        """Scanning one host: send through a socket connected to it (``send`` skips the
        per-call address conversion of ``sendto``: measured 4.0 vs 5.3 us per probe)."""
        if self._focus_sock is not None:
            self._focus_sock.close()
            self._focus_sock = None
        self._focus_dst = dst
        if dst is not None:
            s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
            try:
                s.connect((dst, 0))
            except OSError:
                s.close()
                self._focus_dst = None
                return
            self._focus_sock = s

    def send(self, packet: bytes, dst: str) -> bool:
        """Send one IPv4 packet; False when the kernel has no buffer space right now."""
        if self._send_one(packet, dst):
            self.sent += 1
            return True
        return False

    def _send_one(self, packet: bytes, dst: str) -> bool:
        try:
            if dst == self._focus_dst and self._focus_sock is not None:
                self._focus_sock.send(packet)
            else:
                self.send_sock.sendto(packet, (dst, 0))
        except OSError as e:
            if e.errno in (errno.ENOBUFS, errno.EAGAIN, errno.EWOULDBLOCK):
                return False
            if e.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EPERM,
                           errno.EACCES):
                # no route, blocked locally, or a broadcast address (EACCES without
                # SO_BROADCAST, as nmap also declines): the probe is "sent" and times out
                return True
            raise
        return True

    # -- batched sending ---------------------------------------------------------------

    def batch_buffer(self) -> _MMsg:
        """The batch buffer to write up to ``SEND_BATCH`` packets into (slot ``i`` at
        ``i * buffer.slot`` of ``buffer.view``) before :meth:`send_batch`."""
        if self._batch is None:
            self._batch = _MMsg(SEND_BATCH, 64, 16)
        return self._batch

    def send_batch(self, b: _MMsg, count: int, length: int, dst: str) -> int:
        """Send the first ``count`` packets of ``b`` (each ``length`` bytes) to ``dst``
        with one ``sendmmsg``.  Returns how many went out: fewer than ``count`` when the
        kernel is out of buffer space (send the rest later).  Errors that :meth:`send`
        counts as sent (no route, a refused broadcast) count as sent here too."""
        focused = dst == self._focus_dst and self._focus_sock is not None
        n = self._send_mmsg(b, count, length, dst, focused)
        self.sent += n
        return n

    def _send_mmsg(self, b: _MMsg, count: int, length: int, dst: str,
                   focused: bool) -> int:
        if b.all_len != length:
            for i in range(b.n):
                b.set_len(i, length)
            b.all_len = length
        if focused:
            sock = self._focus_sock
            assert sock is not None
        else:
            sock = self.send_sock
            if dst != b.dst:
                # one sockaddr_in for every slot: a batch goes to a single host
                addr = struct.pack("=H2s4s8x", socket.AF_INET, b"\0\0", socket.inet_aton(dst))
                for i in range(b.n):
                    ctypes.memmove(ctypes.addressof(b.names) + 16 * i, addr, 16)
                b.dst = dst
        if b.named != (not focused):
            # a connected socket takes no address
            b.named = not focused
            for i in range(b.n):
                m = b.msgs[i].hdr
                m.name = (ctypes.addressof(b.names) + 16 * i) if b.named else None
                m.namelen = 16 if b.named else 0
        done = 0
        fd = sock.fileno()
        while done < count:
            n = _sendmmsg(fd, ctypes.byref(b.msgs, done * ctypes.sizeof(_MMsgHdr)),
                          count - done, 0)
            if n > 0:
                done += n
                continue
            err = ctypes.get_errno()
            if err in (errno.ENOBUFS, errno.EAGAIN, errno.EWOULDBLOCK):
                break  # the device queue is full: the engine retries after a poll
            if err == errno.EINTR:
                continue
            # the packet at ``done`` failed: the one-by-one path decides what that means
            off = done * b.slot
            if not self._send_one(bytes(b.view[off:off + length]), dst):
                break
            done += 1
        return done

    def recv_all(self, limit: int = 4096) -> list[bytes]:
        """Every packet waiting on the receive socket (up to ``limit``)."""
        if self._rbatch is not None:
            return self._recv_mmsg(limit)
        out = []
        if self.ignores_outgoing:
            # no need for the sender address: plain recv() is cheaper than recvfrom()
            recv = self.recv_sock.recv
            for _ in range(limit):
                try:
                    out.append(recv(65535))
                except (BlockingIOError, InterruptedError):
                    break
            return out
        recvfrom = self.recv_sock.recvfrom
        for _ in range(limit):
            try:
                data, addr = recvfrom(65535)
            except (BlockingIOError, InterruptedError):
                break
            if addr[2] == PACKET_OUTGOING:
                continue
            out.append(data)
        return out

    def recv_chunks(self, limit: int = 4096) -> Iterator[tuple[memoryview, list[int]]]:
        """The waiting packets in place, one ``recvmmsg`` at a time: for each call a view
        of ``len(lens)`` consecutive slots of ``RECV_SLOT`` bytes (packet ``i`` starts at
        ``i * RECV_SLOT``, ``lens[i]`` bytes of it are the packet, the rest is stale) and
        the lengths.  The view is reused by the next call: consume it before asking for
        more.  Only when the kernel drops our outgoing copies itself and recvmmsg exists;
        otherwise the packets come from :meth:`recv_all`, one slot each."""
        b = self._rbatch
        if b is None or not self.ignores_outgoing:
            pkts = self.recv_all(limit)
            if pkts:
                buf = bytearray(RECV_SLOT * len(pkts))
                for i, p in enumerate(pkts):
                    p = p[:RECV_SLOT]
                    buf[i * RECV_SLOT:i * RECV_SLOT + len(p)] = p
                yield memoryview(buf), [min(len(p), RECV_SLOT) for p in pkts]
            return
        fd = self.recv_sock.fileno()
        got = 0
        while got < limit:
            n = _recvmmsg(fd, b.msgs, min(b.n, limit - got), _MSG_DONTWAIT, None)
            if n <= 0:
                if n < 0 and ctypes.get_errno() == errno.EINTR:
                    continue
                return
            got += n
            yield b.view[:n * b.slot], b.lens_of(n)
            if n < b.n:
                return

    def _recv_mmsg(self, limit: int) -> list[bytes]:
        b = self._rbatch
        assert b is not None
        out: list[bytes] = []
        fd = self.recv_sock.fileno()
        view = b.view
        slot = b.slot
        msgs = b.msgs
        names = b.names
        msg_len = b.msg_len
        outgoing = bytes([PACKET_OUTGOING])
        skip_outgoing = not self.ignores_outgoing
        while len(out) < limit:
            n = _recvmmsg(fd, msgs, min(b.n, limit - len(out)), _MSG_DONTWAIT, None)
            if n <= 0:
                if n < 0 and ctypes.get_errno() == errno.EINTR:
                    continue
                break
            if skip_outgoing:
                for i in range(n):
                    if names[20 * i + 10] == outgoing:
                        continue  # sockaddr_ll.sll_pkttype: our own packet going out
                    off = i * slot
                    out.append(bytes(view[off:off + msg_len(i)]))
            else:
                out += [bytes(view[i * slot:i * slot + ln])
                        for i, ln in enumerate(b.lens_of(n))]
            if n < b.n:
                break
        return out

    def close(self) -> None:
        """Close every socket."""
        self.focus(None)
        self.send_sock.close()
        self.recv_sock.close()


class ArpIO:
    """ARP requests and replies on one Ethernet interface."""

    def __init__(self, interface: str) -> None:
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ARP))
        self.sock.bind((interface, ETH_P_ARP))
        self.sock.setblocking(False)
        self.interface = interface
        self.sent = 0

    def send(self, frame: bytes) -> bool:
        """Send one Ethernet frame."""
        try:
            self.sock.send(frame)
        except OSError as e:
            if e.errno in (errno.ENOBUFS, errno.EAGAIN):
                return False
            raise
        return True

    def recv_all(self, limit: int = 4096) -> list[bytes]:
        """Every frame waiting (incoming only)."""
        out = []
        for _ in range(limit):
            try:
                data, addr = self.sock.recvfrom(65535)
            except (BlockingIOError, InterruptedError):
                break
            if addr[2] == PACKET_OUTGOING:
                continue
            out.append(data)
        return out

    def close(self) -> None:
        """Close the socket."""
        self.sock.close()
