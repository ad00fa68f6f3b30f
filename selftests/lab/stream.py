#!/usr/bin/python3 -BS
# SPDX-License-Identifier: GPL-2.0
"""A long-lived TCP connection to the lab server that reports every stall
(no data received for longer than -s ms) and any reset or close. In echo
mode (default) it sends a small message every -i ms and the server echoes
it, so a stall in either direction shows; with -B the server streams bulk
data. With -W NAME it reconnects (up to 50 times) until the server sees the
flow coming from NAME, to place the stream on a chosen uplink. Runs -t
seconds, or until SIGTERM/SIGINT when -t is 0.

usage: stream.py -d ADDR [ -p PORT ] [ -b SRCADDR ] [ -i INTERVAL_MS ] [ -s STALL_MS ]
                 [ -t SECS ] [ -B ] [ -W NAME ] [ -L ADDR=NAME ]...
summary: stream via=NAME secs=S sent=BYTES recv=BYTES max_gap_ms=N stalls=N resets=N
exit status: 0 if no stall and no reset, 1 otherwise, 2 if it could not start
"""

import errno
import select
import signal
import socket
import sys
import time

import labnet

USAGE = __doc__.split("\n\n")[1]


class Stop(Exception):
    pass


def stop(*_):
    raise Stop()


def connect(dest, port, bind, bulk):
    """A connected socket and the source the server saw."""
    sock = socket.socket(socket.AF_INET6 if ":" in dest else socket.AF_INET)
    sock.settimeout(3)
    if bind:
        sock.bind((bind, 0))
    sock.connect((dest, port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    data = b""
    while b"\n" not in data:
        chunk = sock.recv(256)
        if not chunk:
            raise OSError(errno.ECONNRESET, "closed")
        data += chunk
    if bulk:
        sock.sendall(b"BULK\n")
    sock.setblocking(False)
    return sock, labnet.parse_greeting(data)


def main():
    opts = labnet.options("d:p:b:i:s:t:BW:L:", USAGE)
    if "-d" not in opts:
        labnet.die("destination required\n" + USAGE)
    dest = labnet.parse_dests(opts["-d"][-1])[0]
    port = labnet.parse_ports(opts.get("-p", ["5000"])[-1])[0]
    bind = opts.get("-b", [None])[-1]
    interval = labnet.opt_num(opts, "-i", 10) / 1000
    stall = labnet.opt_num(opts, "-s", 1000) / 1000
    duration = labnet.opt_num(opts, "-t", 0)
    bulk = "-B" in opts
    want = opts.get("-W", [None])[-1]
    names = labnet.source_names(opts.get("-L"))

    via = None
    for _ in range(50 if want else 1):
        try:
            sock, seen = connect(dest, port, bind, bulk)
        except OSError as e:
            labnet.summary("stream", (("via", "-"), ("error", errno.errorcode.get(e.errno, "timeout"))))
            sys.exit(2)
        via = names.get(seen[0], seen[0])
        if not want or via == want:
            break
        sock.close()
    if want and via != want:
        labnet.summary("stream", (("via", via), ("error", "not_via_" + want)))
        sys.exit(2)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    labnet.note("streaming via %s" % via)
    sent = recv = stalls = resets = 0
    max_gap = 0.0
    msg = b"t" * 63 + b"\n"
    t0 = last_rx = next_tx = time.monotonic()
    in_stall = False
    try:
        while not duration or time.monotonic() - t0 < duration:
            now = time.monotonic()
            if not bulk and now >= next_tx:
                try:
                    sent += sock.send(msg)
                except BlockingIOError:
                    pass
                next_tx = now + interval
            wait = next_tx - now if not bulk else interval
            readable, _, _ = select.select([sock], [], [], max(wait, 0))
            now = time.monotonic()
            if readable:
                data = sock.recv(65536)
                if not data:
                    raise ConnectionResetError(errno.ECONNRESET, "closed")
                recv += len(data)
                gap = now - last_rx
                max_gap = max(max_gap, gap)
                if in_stall:
                    labnet.note("stall ended: %d ms without data, at t=%.3f s"
                                % (gap * 1000, now - t0))
                    in_stall = False
                last_rx = now
            elif not in_stall and now - last_rx > stall:
                in_stall = True
                stalls += 1
                labnet.note("stall began at t=%.3f s" % (last_rx - t0))
    except Stop:
        pass
    except OSError as e:
        resets += 1
        labnet.note("connection lost at t=%.3f s: %s" % (time.monotonic() - t0,
                                                         errno.errorcode.get(e.errno, e)))
    now = time.monotonic()
    max_gap = max(max_gap, now - last_rx)
    if not in_stall and now - last_rx > stall:
        stalls += 1
    sock.close()
    labnet.summary("stream", (("via", via), ("secs", "%.3f" % (now - t0)), ("sent", sent),
                              ("recv", recv), ("max_gap_ms", int(max_gap * 1000)),
                              ("stalls", stalls), ("resets", resets)))
    sys.exit(0 if not stalls and not resets else 1)


if __name__ == "__main__":
    main()
