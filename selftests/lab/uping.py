#!/usr/bin/python3 -BS
# SPDX-License-Identifier: GPL-2.0
"""A UDP "ping": one flow with a fixed source port, one datagram every -i
ms, and for each reply the uplink it went through (the source the server
saw). Prints a "#" line whenever that uplink changes. Runs -c datagrams,
-t seconds, or until SIGTERM/SIGINT.

usage: uping.py -d ADDR [ -p PORT ] [ -s SPORT ] [ -b SRCADDR ] [ -i INTERVAL_MS ]
                [ -c COUNT ] [ -t SECS ] [ -L ADDR=NAME ]... [ -v ]
summary: uping sent=N recv=N lost=N switches=N first=NAME last=NAME NAME=replies...
exit status: 0 if any reply came back, 1 otherwise
"""

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


def main():
    opts = labnet.options("d:p:s:b:i:c:t:L:v", USAGE)
    if "-d" not in opts:
        labnet.die("destination required\n" + USAGE)
    dest = labnet.parse_dests(opts["-d"][-1])[0]
    port = labnet.parse_ports(opts.get("-p", ["5000"])[-1])[0]
    sport = labnet.opt_num(opts, "-s", 0, int)
    bind = opts.get("-b", [""])[-1]
    interval = labnet.opt_num(opts, "-i", 100) / 1000
    count = labnet.opt_num(opts, "-c", 0, int)
    duration = labnet.opt_num(opts, "-t", 0)
    verbose = "-v" in opts
    names = labnet.source_names(opts.get("-L"))

    sock = socket.socket(socket.AF_INET6 if ":" in dest else socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((bind, sport))
        sock.connect((dest, port))
    except OSError as e:
        labnet.die("cannot bind/connect: %s" % e.strerror)
    sock.setblocking(False)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    counts = {}
    sent = recv = switches = 0
    first = last = "-"
    t0 = next_tx = time.monotonic()
    end = t0 + duration if duration else None
    try:
        while True:
            now = time.monotonic()
            if end and now >= end:
                break
            draining = count and sent >= count
            if draining and now >= next_tx + 1:
                break
            if not draining and now >= next_tx:
                try:
                    sock.send(b"%d %.6f\n" % (sent, now))
                except OSError:
                    pass
                sent += 1
                next_tx = now + interval
            wake = next_tx + 1 if count and sent >= count else next_tx
            if select.select([sock], [], [], max(wake - now, 0.001))[0]:
                try:
                    data = sock.recv(2048)
                except OSError:
                    continue
                now = time.monotonic()
                seen = labnet.parse_greeting(data) or ("?", 0)
                via = names.get(seen[0], seen[0])
                recv += 1
                counts[via] = counts.get(via, 0) + 1
                if first == "-":
                    first = via
                    labnet.note("t=%.3f via %s" % (now - t0, via))
                elif via != last:
                    switches += 1
                    labnet.note("t=%.3f via %s (was %s)" % (now - t0, via, last))
                last = via
                if verbose:
                    fields = data.split(b"\n", 1)[1].split()
                    labnet.note("seq=%s via=%s rtt_ms=%.1f" % (
                        fields[0].decode(), via, (now - float(fields[1])) * 1000))
                if count and recv >= count:
                    break
    except Stop:
        pass
    labnet.summary("uping", (("sent", sent), ("recv", recv), ("lost", sent - recv),
                             ("switches", switches), ("first", first), ("last", last)), counts)
    sys.exit(0 if recv else 1)


if __name__ == "__main__":
    main()
