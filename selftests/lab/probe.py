#!/usr/bin/python3 -BS
# SPDX-License-Identifier: GPL-2.0
"""Failover timing: the time from an event until a NEW flow succeeds. After
the event it starts a new flow (TCP connect + greeting, or UDP exchange with
-u) every -i ms, each with a -w ms timeout, overlapping, and reports the
first success (optionally only one through uplink NAME, -W NAME).

The event is either SIGUSR1 (start it in the background, wait for its
"# armed" line, cause the event, then kill -USR1 it: its own start-up cost
does not count) or -e EPOCH, a CLOCK_REALTIME time such as `date +%s.%N`
printed just before the event.

With -k N the probe waits for N attempts in a row (in the order they were
started) to succeed and reports the first of them: while a balancer still
sends some new flows to the dead uplink, single successes prove nothing.

With -r N (SIGUSR1 only) it measures N events one after the other, one
process for all: after each summary line it says "# armed" again and waits
for the next SIGUSR1. The exit status is then 1 if any measurement failed.

usage: probe.py -d ADDR[,ADDR|+COUNT] [ -p PORT[-PORT] ] [ -u ] [ -b SRCADDR ]
                [ -i INTERVAL_MS ] [ -w TIMEOUT_MS ] [ -t MAX_SECS ] [ -e EPOCH ]
                [ -k N ] [ -r N ] [ -W NAME ] [ -L ADDR=NAME ]...
summary: probe ok=1 secs=S first=S via=NAME attempts=N   (ok=0 if none in -t)
         secs: the first of N successes in a row; first: the first success
exit status: 0 on success, 1 otherwise
"""

import signal
import sys
import time

import labnet

USAGE = __doc__.split("\n\n")[3]


def main():
    opts = labnet.options("d:p:ub:i:w:t:e:k:r:W:L:", USAGE)
    if "-d" not in opts:
        labnet.die("destination required\n" + USAGE)
    dests = labnet.parse_dests(opts["-d"][-1])
    ports = labnet.parse_ports(opts.get("-p", ["5000"])[-1])
    udp = "-u" in opts
    bind = opts.get("-b", [None])[-1]
    interval = labnet.opt_num(opts, "-i", 20) / 1000
    limit = labnet.opt_num(opts, "-t", 10)
    want = opts.get("-W", [None])[-1]
    run = max(1, labnet.opt_num(opts, "-k", 1, int))
    names = labnet.source_names(opts.get("-L"))
    timeout = labnet.opt_num(opts, "-w", 250) / 1000

    repeat = max(1, labnet.opt_num(opts, "-r", 1, int))
    if "-e" in opts:
        # Map the realtime epoch onto the monotonic clock the probe runs on.
        event = time.monotonic() - (time.time() - labnet.opt_num(opts, "-e", 0))
        sys.exit(0 if measure(event, dests, ports, udp, bind, interval, limit, want, run,
                              names, timeout) else 1)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    failed = 0
    for _ in range(repeat):
        labnet.note("armed")
        sys.stdout.flush()
        signal.sigwaitinfo({signal.SIGUSR1})
        if not measure(time.monotonic(), dests, ports, udp, bind, interval, limit, want,
                       run, names, timeout):
            failed += 1
        sys.stdout.flush()
    sys.exit(1 if failed else 0)


def measure(event, dests, ports, udp, bind, interval, limit, want, run, names, timeout):
    """New flows from the event on until run successes in a row; prints the summary.
    A fresh engine each time: flows still open from the last one do not count."""
    engine = labnet.Engine(timeout)
    attempts = 0
    results = {}            # attempt number -> (seconds after the event, uplink) or None
    base = 0                # first attempt of the current run of successes
    first = via = None
    next_start = time.monotonic()
    while via is None and time.monotonic() - event < limit:
        now = time.monotonic()
        done = []
        if now >= next_start:
            flow = labnet.Flow(attempts, dests[attempts % len(dests)],
                               ports[attempts % len(ports)], udp, bind)
            attempts += 1
            done += engine.add(flow, now)
            next_start = now + interval
        done += engine.poll(next_start - time.monotonic())
        for flow in done:
            name = names.get(flow.seen[0], flow.seen[0]) if flow.seen else None
            ok = name is not None and (not want or name == want)
            results[flow.ident] = (flow.t1 - event, name) if ok else None
            if ok and first is None:
                first = flow.t1 - event
        while via is None:
            end = base
            while end - base < run and results.get(end):
                end += 1
            if end - base == run:
                secs, via = results[base]
            elif end in results:
                base = end + 1
            else:
                break
    if via is None:
        labnet.summary("probe", (("ok", 0), ("secs", "%.3f" % (time.monotonic() - event)),
                                 ("first", "%.3f" % first if first is not None else "-"),
                                 ("via", "-"), ("attempts", attempts)))
        return False
    labnet.summary("probe", (("ok", 1), ("secs", "%.3f" % secs), ("first", "%.3f" % first),
                             ("via", via), ("attempts", attempts)))
    return True


if __name__ == "__main__":
    main()
