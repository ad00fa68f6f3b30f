# SPDX-License-Identifier: GPL-2.0
"""Shared code of the lab traffic tools: address and port lists, the
WAN-side naming of source addresses, the one-line summary, and a small
non-blocking engine that runs many short flows at once.

Protocol of selftests/lab/server.py, which every client here relies on:
  TCP: on accept the server writes "ADDR PORT\\n", the source it saw, then
       echoes what it receives (or, if the first bytes are "BULK\\n",
       sends without end).
  UDP: each datagram is answered with "ADDR PORT\\n" followed by the
       datagram itself.
Because the carriers masquerade, ADDR names the uplink a flow left by.
Standard library only; the tools run under TCG, so they must start fast.
"""

import errno
import getopt
import os
import selectors
import socket
import sys
import time


def die(msg):
    sys.stderr.write("Error: %s\n" % msg)
    sys.exit(2)


def options(spec, usage):
    """getopt-style parsing of sys.argv: {"-x": [values...]}, flags get [True].
    argparse would cost a tenth of a second of startup under TCG."""
    try:
        opts, rest = getopt.getopt(sys.argv[1:], spec + "h")
    except getopt.GetoptError as e:
        die("%s\n%s" % (e, usage))
    out = {}
    for opt, val in opts:
        if opt == "-h":
            print(usage)
            sys.exit(0)
        out.setdefault(opt, []).append(val if val else True)
    if rest:
        die("unexpected argument \"%s\"\n%s" % (rest[0], usage))
    return out


def opt_num(opts, opt, default, kind=float):
    if opt not in opts:
        return default
    try:
        return kind(opts[opt][-1])
    except ValueError:
        die("argument \"%s\" of %s is wrong" % (opts[opt][-1], opt))


def parse_ports(spec):
    """"5000" or "5000-5099" -> list of ints."""
    try:
        lo, _, hi = spec.partition("-")
        lo = int(lo)
        hi = int(hi) if hi else lo
    except ValueError:
        die("port range \"%s\" is wrong" % spec)
    if not 0 < lo <= hi < 65536:
        die("port range \"%s\" is wrong" % spec)
    return list(range(lo, hi + 1))


def _family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def parse_dests(spec):
    """"A,B" or "A+N" (N consecutive addresses from A) -> list of strings."""
    out = []
    for item in spec.split(","):
        addr, _, count = item.partition("+")
        fam = _family(addr)
        try:
            raw = socket.inet_pton(fam, addr)
            count = int(count) if count else 1
        except (OSError, ValueError):
            die("destination \"%s\" is wrong" % item)
        base = int.from_bytes(raw, "big")
        for i in range(count):
            out.append(socket.inet_ntop(fam, (base + i).to_bytes(len(raw), "big")))
    return out


def source_names(pairs):
    """WAN-side names: LAB_SRC_NAMES="addr=name ..." plus -L addr=name."""
    names = {}
    for pair in os.environ.get("LAB_SRC_NAMES", "").split() + (pairs or []):
        addr, sep, name = pair.partition("=")
        if not sep or not name:
            die("source name \"%s\" is not ADDR=NAME" % pair)
        names[addr] = name
    return names


def summary(tool, fields, counts=None):
    """Print the one machine-parseable line: TOOL key=value ... name=count ..."""
    words = [tool] + ["%s=%s" % kv for kv in fields]
    if counts:
        words += ["%s=%d" % kv for kv in sorted(counts.items())]
    print(" ".join(words), flush=True)


def note(msg):
    print("# " + msg, flush=True)


def parse_greeting(data):
    """b"ADDR PORT\\n..." -> (addr, port) or None while incomplete."""
    line, sep, _ = data.partition(b"\n")
    if not sep:
        return None
    try:
        addr, port = line.decode().split()
        return addr, int(port)
    except ValueError:
        return ("?", 0)


class Flow:
    """One new flow from a fresh source port: a TCP connect that ends with
    the server's greeting, or a UDP exchange (resent every 0.5 s)."""

    def __init__(self, ident, dest, port, udp=False, bind=None, mark=0):
        self.ident, self.dest, self.port, self.udp = ident, dest, port, udp
        self.mark = mark
        self.seen = None
        self.error = None
        self.sport = 0
        self.buf = b""
        self.bind = bind
        self.sock = None

    def start(self, now):
        self.t0 = self.t1 = now
        try:
            self.sock = socket.socket(_family(self.dest), socket.SOCK_DGRAM
                                      if self.udp else socket.SOCK_STREAM)
            self.sock.setblocking(False)
            if self.mark:
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_MARK, self.mark)
            if self.bind:
                self.sock.bind((self.bind, 0))
            err = self.sock.connect_ex((self.dest, self.port))
            if err not in (0, errno.EINPROGRESS):
                raise OSError(err, "connect")
            self.sport = self.sock.getsockname()[1]
        except OSError as e:
            self.error = errno.errorcode.get(e.errno, str(e.errno))
            return
        if self.udp:
            self.resend(now)

    def resend(self, now):
        self.next_send = now + 0.5
        try:
            self.sock.send(b"flow %d\n" % self.ident)
        except OSError as e:
            if e.errno != errno.EAGAIN:
                self.error = errno.errorcode.get(e.errno, str(e.errno))

    def readable(self):
        try:
            data = self.sock.recv(256)
        except BlockingIOError:
            return
        except OSError as e:
            self.error = errno.errorcode.get(e.errno, str(e.errno))
            return
        if not data:
            self.error = "EOF"
            return
        self.buf += data
        greeting = parse_greeting(self.buf)
        if greeting:
            self.seen = greeting

    def close(self):
        if self.sock:
            self.sock.close()


class Engine:
    """Runs Flows concurrently on one selector; collects finished ones."""

    def __init__(self, timeout):
        self.timeout = timeout
        self.sel = selectors.DefaultSelector()
        self.live = {}

    def __len__(self):
        return len(self.live)

    def add(self, flow, now):
        flow.start(now)
        if flow.error:
            flow.close()
            return [flow]
        self.live[flow.sock.fileno()] = flow
        self.sel.register(flow.sock, selectors.EVENT_READ)
        return []

    def _finish(self, flow):
        del self.live[flow.sock.fileno()]
        self.sel.unregister(flow.sock)
        flow.close()

    def poll(self, wait):
        """Wait up to `wait` seconds; return the flows that ended."""
        done = []
        for key, _ in self.sel.select(max(wait, 0)):
            flow = self.live.get(key.fd)
            if flow:
                flow.readable()
                if flow.seen or flow.error:
                    done.append(flow)
        now = time.monotonic()
        for flow in list(self.live.values()):
            if flow.seen or flow.error:
                continue
            if now - flow.t0 > self.timeout:
                flow.error = "timeout"
                done.append(flow)
            elif flow.udp and now >= flow.next_send:
                flow.resend(now)
                if flow.error:
                    done.append(flow)
        for flow in done:
            flow.t1 = now
            self._finish(flow)
        return done
