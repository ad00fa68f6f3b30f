#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Differential NPTv6 harness: the same packets through a router once per
translator (mwan's npt, ip6t_NPT), captured on both sides, compared.

  npt_diff.py send -a NS:IF:ROUTER_MAC -b NS:IF:ROUTER_MAC -m IN=OUT... [-n N] [-s SEED] -w FILE
      Build at least N packets (TCP, UDP, ICMPv6 echo and errors with their
      embedded packets; linear, behind a Destination Options header, and
      larger than a page so that the router gets a non-linear skb; host
      addresses that hit the 0xFFFF rules of RFC 6296 3.4 and 3.5) for the
      mappings IN=OUT. Side a holds the inside prefixes, side b the rest
      of the world. Outbound packets are sent from a, inbound from b (raw,
      AF_PACKET, to the router's MAC); whatever arrives on either side is
      recorded per packet (a marker in every payload names it) into FILE.
  npt_diff.py compare -m IN=OUT... [-n N] [-s SEED] [-v] REFERENCE.json CANDIDATE.json
      Rebuild the same packets and judge each candidate (mwan) result
      against RFC 6296 (this file's reference translation of every address
      the translator must rewrite: the outer source or destination and the
      embedded destination or source of an ICMPv6 error; hop limit - 1;
      nothing else changes, checksum-neutral) and against the reference
      translator's (ip6t_NPT) result: where ip6t_NPT is right the two must
      be byte-identical; where it is not, the case is named. Untranslatable
      addresses (all four IID words 0xFFFF) must be dropped with an ICMPv6
      Parameter Problem back to the sender (none for an ICMPv6 error).
      Prints one line: npt_diff total=.. same=.. differ=.. wrong=.. and
      exits 1 if the candidate is wrong anywhere.
"""

import getopt
import json
import random
import re
import select
import socket
import struct
import sys
import time

sys.path.insert(0, __import__("os").path.dirname(__file__))
import pkt  # noqa: E402

MARK = b"NPTD"
REMOTE = "2a00:1::/32"
BIG = 5000


def usage(msg):
    sys.stderr.write("Error: %s\n%s" % (msg, __doc__))
    sys.exit(2)


def rand_in(rnd, pfx, plen):
    a = bytearray(rnd.getrandbits(128).to_bytes(16, "big"))
    for bit in range(plen):
        byte, m = bit // 8, 0x80 >> (bit % 8)
        a[byte] = (a[byte] & ~m) | (pfx[byte] & m)
    # Keep clear of the 0xFFFF cases unless a case asks for them.
    for w in range(4, 8):
        if a[2 * w:2 * w + 2] == b"\xff\xff":
            a[2 * w] = 0x7F
    if plen <= 48 and a[6:8] == b"\xff\xff":
        a[6] = 0x7F
    return bytes(a)


def set_word(addr, idx, val):
    a = bytearray(addr)
    struct.pack_into("!H", a, 2 * idx, val)
    return bytes(a)


class Case:
    def __init__(self, cid, desc, m, outbound, packet, where, is_error, inner=0):
        self.id, self.desc, self.m, self.outbound = cid, desc, m, outbound
        self.packet = packet
        self.where = where          # offsets of the addresses to translate
        self.is_error = is_error    # an ICMPv6 error: no Parameter Problem for it
        self.inner = inner          # offset of the embedded packet in an error

    def reference(self):
        """The RFC's output packet, or None when the packet must be dropped."""
        out = bytearray(self.packet)
        out[7] -= 1
        for off in self.where:
            new = self.m.map(bytes(out[off:off + 16]), self.outbound)
            if new is None:
                return None
            out[off:off + 16] = new
        return bytes(out)


def transport(rnd, proto, src, dst, payload):
    sport, dport = rnd.randrange(1024, 65536), rnd.randrange(1, 65536)
    if proto == pkt.TCP:
        return pkt.l4_6(proto, src, dst, pkt.tcp_body(sport, dport, payload,
                                                      seq=rnd.getrandbits(32)))
    if proto == pkt.UDP:
        return pkt.l4_6(proto, src, dst, pkt.udp_body(sport, dport, payload))
    return pkt.l4_6(pkt.ICMPV6, src, dst,
                    pkt.icmp6_body(128, 0, struct.pack("!HH", rnd.getrandbits(16), 1), payload))


def build(cid, rnd, m, outbound, kind, variant, special, rpfx, rlen):
    """One case: kind is tcp/udp/echo or err-TYPE-PROTO."""
    protos = {"tcp": pkt.TCP, "udp": pkt.UDP, "echo": pkt.ICMPV6}
    own_pfx = m.inside if outbound else m.outside
    host = rand_in(rnd, own_pfx, m.plen)
    adj = m.adj_out if outbound else m.adj_in
    if special == "result-ffff":        # 3.4/3.5: the sum is 0xFFFF, written as 0
        host = set_word(host, 3 if m.plen <= 48 else 4, ~adj & 0xFFFF)
        if m.plen > 48 and host[8:10] == b"\xff\xff":
            special = None
    elif special == "subnet-ffff":      # 3.4: subnet word 0xFFFF
        host = set_word(host, 3, 0xFFFF)
    elif special and special.startswith("iid-ffff"):   # 3.5: skip 0xFFFF words
        k = int(special[-1])
        for w in range(4, 4 + k):
            host = set_word(host, w, 0xFFFF)
        if k == 4:
            special = "iid-all-ffff"
    remote = rand_in(rnd, rpfx, rlen)
    payload = MARK + struct.pack("!I", cid) + bytes(rnd.getrandbits(8) for _ in range(8))
    if variant == "nonlinear":
        payload += bytes(BIG)
    dstopts = variant == "dstopts"
    src, dst = (host, remote) if outbound else (remote, host)
    if kind in protos:
        proto = protos[kind]
        packet = pkt.ipv6(src, dst, proto, transport(rnd, proto, src, dst, payload),
                          dstopts=dstopts)
        where = [8 if outbound else 24]
        is_error = False
    else:
        _, typ, eproto = kind.split("-")
        typ = int(typ)
        # The packet the error is about went the other way.
        inner = pkt.ipv6(dst, src, protos[eproto],
                         transport(rnd, protos[eproto], dst, src, payload), hlim=1)
        rest = struct.pack("!I", {1: 0, 2: 1280, 3: 0, 4: 40}[typ])
        code = {1: 4, 2: 0, 3: 0, 4: 0}[typ]
        if outbound:            # from the inside host about a packet it got
            osrc, odst = host, remote
        else:                   # from a router out there about the host's packet
            osrc, odst = rand_in(rnd, rpfx, rlen), host
        body = pkt.l4_6(pkt.ICMPV6, osrc, odst, pkt.icmp6_body(typ, code, rest, inner))
        packet = pkt.ipv6(osrc, odst, pkt.ICMPV6, body, dstopts=dstopts)
        off = len(packet) - len(inner)
        where = [8, off + 24] if outbound else [24, off + 8]
        is_error = True
        return Case(cid, desc(cid, kind, m, outbound, variant, host, special), m, outbound,
                    packet, where, is_error, off)
    return Case(cid, desc(cid, kind, m, outbound, variant, host, special), m, outbound,
                packet, where, is_error)


def desc(cid, kind, m, outbound, variant, host, special):
    return "%s %s %s->%s %s %s%s" % (
        "SNPT" if outbound else "DNPT", kind, m.text[0], m.text[1], variant,
        socket.inet_ntop(socket.AF_INET6, host), " (%s)" % special if special else "")


def cases(maps, n, seed):
    rnd = random.Random(seed)
    rpfx, rlen = pkt.prefix_bytes(REMOTE)
    out = []
    variants = ("linear", "dstopts", "nonlinear")
    while len(out) < n:
        for m in maps:
            for outbound in (True, False):
                todo = []
                for kind in ("tcp", "udp", "echo"):
                    for v in variants:
                        todo.append((kind, v, None))
                # Each error type in each variant, the embedded protocol rotating.
                for i, t in enumerate((1, 2, 3, 4)):
                    for j, v in enumerate(variants):
                        eproto = ("udp", "tcp", "echo")[(i + j + len(out)) % 3]
                        todo.append(("err-%d-%s" % (t, eproto), v, None))
                specials = ["result-ffff"]
                specials += ["subnet-ffff"] if m.plen <= 48 else \
                    ["iid-ffff1", "iid-ffff2", "iid-ffff3", "iid-ffff4"]
                for sp in specials:
                    todo.append(("udp", "linear", sp))
                    todo.append(("err-1-udp", "linear", sp))
                    todo.append(("tcp", "nonlinear", sp))
                for kind, v, sp in todo:
                    out.append(build(len(out), rnd, m, outbound, kind, v, sp, rpfx, rlen))
    return out


def parse_maps(values):
    maps = []
    for v in values:
        inside, sep, outside = v.partition("=")
        if not sep:
            usage("mapping \"%s\" is not INSIDE=OUTSIDE" % v)
        maps.append(pkt.Npt(inside, outside))
    return maps


def side(spec):
    ns, ifname, mac = spec.split(":", 2)
    return ns, ifname, pkt.mac(mac)


def send(opts, maps):
    n = int(opts.get("-n", 1000))
    seed = int(opts.get("-s", 1))
    all_cases = cases(maps, n, seed)
    socks = {}
    for name in ("a", "b"):
        ns, ifname, mac = side(opts["-" + name])
        pkt.setns(ns)
        socks[name] = (pkt.packet_socket(ifname), mac)
    got = {"a": [], "b": []}
    start = time.monotonic()
    for i, c in enumerate(all_cases):
        sock, mac = socks["a" if c.outbound else "b"]
        frame = mac + b"\x02\0\0\0\0\x01" + struct.pack("!H", pkt.ETH_P_IPV6) + c.packet
        while True:
            try:
                sock.send(frame)
                break
            except BlockingIOError:
                select.select([], [sock], [], 0.1)
        if i % 32 == 31:
            time.sleep(0.002)
        for name in socks:
            pkt.recv_all(socks[name][0], got[name])
    last = time.monotonic()
    deadline = last + 10
    total = lambda: sum(len(v) for v in got.values())  # noqa: E731
    while time.monotonic() < deadline:
        before = total()
        select.select([s for s, _ in socks.values()], [], [], 0.3)
        for name in socks:
            pkt.recv_all(socks[name][0], got[name])
        if total() >= len(all_cases) and total() == before:
            break
        if total() == before and time.monotonic() - last > 2:
            break
        if total() != before:
            last = time.monotonic()
    res = {}
    for name, lst in got.items():
        for p in lst:
            at = p.find(MARK)
            if at < 0:
                continue
            cid = struct.unpack_from("!I", p, at + 4)[0]
            res.setdefault(str(cid), {}).setdefault(name, []).append(p.hex())
    with open(opts["-w"], "w") as f:
        json.dump({"n": len(all_cases), "seed": seed, "got": res}, f)
    print("npt_diff sent=%d captured=%d seconds=%.1f" %
          (len(all_cases), total(), time.monotonic() - start), flush=True)


def judge(c, got):
    """What is wrong with a translator's result for case c (None if right)."""
    ref = c.reference()
    near, far = ("a", "b") if c.outbound else ("b", "a")
    fp = [bytes.fromhex(h) for h in got.get(far, [])]
    np_ = [bytes.fromhex(h) for h in got.get(near, [])]
    if ref is not None:
        if fp == [ref] and not np_:
            return None
        if not fp:
            return "nothing arrived" + (" (%d back)" % len(np_) if np_ else "")
        if len(fp) > 1:
            return "%d copies arrived" % len(fp)
        p = fp[0]
        if len(p) != len(ref):
            return "length %d, want %d" % (len(p), len(ref))
        diffs = [i for i in range(len(ref)) if p[i] != ref[i]]
        what = []
        for lo, name in ((8, "source"), (24, "destination")):
            if any(lo <= i < lo + 16 for i in diffs):
                what.append("outer %s %s, want %s" % (
                    name, socket.inet_ntop(socket.AF_INET6, p[lo:lo + 16]),
                    socket.inet_ntop(socket.AF_INET6, ref[lo:lo + 16])))
        if c.is_error:
            off = c.inner
            for lo, name in ((off + 8, "source"), (off + 24, "destination")):
                if any(lo <= i < lo + 16 for i in diffs):
                    what.append("embedded %s %s, want %s" % (
                        name, socket.inet_ntop(socket.AF_INET6, p[lo:lo + 16]),
                        socket.inet_ntop(socket.AF_INET6, ref[lo:lo + 16])))
        if not what:
            what.append("bytes %s differ" % ",".join(str(i) for i in diffs[:8]))
        return "; ".join(what)
    if fp:
        if fp[0][6] == pkt.ICMPV6 and fp[0][40] == 4:
            return "its Parameter Problem went out to the half-translated source %s" % \
                socket.inet_ntop(socket.AF_INET6, fp[0][24:40])
        return "forwarded although the address is untranslatable: src %s dst %s" % (
            socket.inet_ntop(socket.AF_INET6, fp[0][8:24]),
            socket.inet_ntop(socket.AF_INET6, fp[0][24:40]))
    if c.is_error:
        return None if not np_ else "answered an ICMPv6 error with %d packets" % len(np_)
    pp = [p for p in np_ if p[6] == pkt.ICMPV6 and p[40] == 4]
    if len(pp) != 1:
        return "dropped without one ICMPv6 Parameter Problem (%d back)" % len(np_)
    p = pp[0]
    if p[41] != 0 or struct.unpack_from("!I", p, 44)[0] != (8 if c.outbound else 24):
        return "Parameter Problem code %d pointer %d" % (p[41], struct.unpack_from("!I", p, 44)[0])
    if p[48:48 + 7] != c.packet[:7] or p[48 + 8:48 + 40] != c.packet[8:40]:
        return "Parameter Problem does not embed the packet's header"
    if pkt.verify6(p):
        return "Parameter Problem: bad " + ", ".join(pkt.verify6(p))
    return None


def compare(opts, maps, files):
    n = int(opts.get("-n", 1000))
    seed = int(opts.get("-s", 1))
    all_cases = cases(maps, n, seed)
    with open(files[0]) as f:
        ref_run = json.load(f)["got"]
    with open(files[1]) as f:
        cand_run = json.load(f)["got"]
    same = differ = wrong = 0
    named = {}
    for c in all_cases:
        a, b = ref_run.get(str(c.id), {}), cand_run.get(str(c.id), {})
        bad_b = judge(c, b)
        bad_a = judge(c, a)
        if bad_b:
            wrong += 1
            print("# WRONG: case %d %s: mwan: %s" % (c.id, c.desc, bad_b))
            continue
        if a == b:
            same += 1
            continue
        differ += 1
        if bad_a is None:
            # Both right but not identical: only Parameter Problems may differ.
            key = "both right, bytes differ"
        else:
            key = bad_a
        words = c.desc.split()
        kind = "%s %s %s%s" % (words[0], words[1].split("-")[0], words[3],
                               " " + words[-1] if words[-1].startswith("(") else "")
        key = re.sub(r"[0-9a-f]*:[0-9a-f:]+", "ADDR", key)
        named.setdefault((kind, key), []).append(c)
        if "-v" in opts:
            print("# differ: case %d %s: ip6t_NPT: %s" % (c.id, c.desc, bad_a))
    for (kind, key), lst in sorted(named.items()):
        print("# ip6t_NPT differs (mwan follows the RFC): %s: %s: %d packets, e.g. case %d" %
              (kind, key, len(lst), lst[0].id))
    print("npt_diff total=%d same=%d differ=%d wrong=%d" % (len(all_cases), same, differ, wrong))
    return 1 if wrong else 0


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("send", "compare"):
        usage("send or compare?")
    try:
        opts, rest = getopt.getopt(sys.argv[2:], "a:b:m:n:s:w:v")
    except getopt.GetoptError as e:
        usage(str(e))
    maps = parse_maps([v for k, v in opts if k == "-m"])
    d = dict(opts)
    if sys.argv[1] == "send":
        for k in ("-a", "-b", "-w"):
            if k not in d:
                usage("%s is required" % k)
        send(d, maps)
        return 0
    if len(rest) != 2:
        usage("compare needs two result files")
    return compare(d, maps, rest)


if __name__ == "__main__":
    sys.exit(main())
