#!/usr/bin/python3 -BS
# SPDX-License-Identifier: GPL-2.0
"""Open N new flows (TCP connects or UDP exchanges, each from a new source
port) to the lab server and count them by the source address the SERVER
saw, i.e. by the uplink they left through. Destinations and ports are used
round-robin; -c flows are in flight at once.

usage: flows.py -d ADDR[,ADDR|+COUNT] [ -p PORT[-PORT] ] [ -n FLOWS ] [ -c CONCURRENT ]
                [ -u ] [ -b SRCADDR ] [ -m MARK ] [ -w TIMEOUT_MS ] [ -L ADDR=NAME ]... [ -v ]
summary: flows proto=tcp n=N ok=N fail=N secs=S rate=FLOWS_PER_S [err_REASON=N]... NAME=N...
exit status: 0 if every flow succeeded, 1 otherwise
"""

import sys
import time

import labnet

USAGE = __doc__.split("\n\n")[1]


def main():
    opts = labnet.options("d:p:n:c:ub:m:w:L:v", USAGE)
    if "-d" not in opts:
        labnet.die("destination required\n" + USAGE)
    dests = labnet.parse_dests(opts["-d"][-1])
    ports = labnet.parse_ports(opts.get("-p", ["5000"])[-1])
    total = labnet.opt_num(opts, "-n", 100, int)
    conc = max(1, labnet.opt_num(opts, "-c", 20, int))
    udp = "-u" in opts
    bind = opts.get("-b", [None])[-1]
    mark = int(opts.get("-m", ["0"])[-1], 0)
    verbose = "-v" in opts
    names = labnet.source_names(opts.get("-L"))
    engine = labnet.Engine(labnet.opt_num(opts, "-w", 3000) / 1000)

    counts, errors = {}, {}
    ok = started = 0
    t0 = time.monotonic()
    while started < total or len(engine):
        done = []
        while started < total and len(engine) < conc:
            flow = labnet.Flow(started, dests[started % len(dests)],
                               ports[started % len(ports)], udp, bind, mark)
            started += 1
            done += engine.add(flow, time.monotonic())
        done += engine.poll(0.05)
        for flow in done:
            if flow.seen:
                ok += 1
                via = names.get(flow.seen[0], flow.seen[0])
                counts[via] = counts.get(via, 0) + 1
            else:
                via = "-"
                key = "err_" + flow.error
                errors[key] = errors.get(key, 0) + 1
            if verbose:
                labnet.note("flow %d %s %d sport=%d via=%s %s" % (
                    flow.ident, flow.dest, flow.port, flow.sport, via,
                    "ms=%.1f" % ((flow.t1 - flow.t0) * 1000) if flow.seen else flow.error))
    secs = time.monotonic() - t0
    counts.update(errors)
    labnet.summary("flows", (("proto", "udp" if udp else "tcp"), ("n", total), ("ok", ok),
                             ("fail", total - ok), ("secs", "%.3f" % secs),
                             ("rate", "%.1f" % (total / secs if secs else 0))), counts)
    sys.exit(0 if ok == total else 1)


if __name__ == "__main__":
    main()
