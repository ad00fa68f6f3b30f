#!/usr/bin/python3 -BS
# SPDX-License-Identifier: GPL-2.0
"""Small probes for the translation tests (NPTv6 and 1:1 NAT).

  xlate.py seen [ -p PORT ] SRC>DST[/udp]...
      For each: one TCP connection (a UDP datagram with /udp) from SRC to
      the lab server at DST; prints "SRC>DST[/udp] ADDR", ADDR the source
      address the server saw. One process for many probes: a Python start
      is dear under TCG.
  xlate.py accept -p PORT [ -n COUNT ] [ -w SECS ]
      Accept COUNT TCP connections on PORT (any address); for each print
      "accepted PEER on LOCAL", answer "hello PEER\\n" and close.
  xlate.py connect -d ADDR -p PORT [ -b SRCADDR ]
      One TCP connection; prints "connected reply=..." (the first line).
  xlate.py unreach -i IFNAME -d ADDR -p PORT -s SRCADDR
      Capture on IFNAME (AF_PACKET) while a UDP datagram goes from SRCADDR
      to ADDR:PORT (a closed port), and check the ICMP/ICMPv6 destination
      unreachable that comes back from the raw bytes: outer destination and
      embedded source are SRCADDR, the outer IP header, ICMP and embedded IP
      header checksums are valid, and the embedded UDP header (ports and
      checksum) is the one sent. Prints "unreach ok ..." or "unreach bad ...".
  xlate.py npt -m INSIDE=OUTSIDE ADDR
      Print ADDR translated by RFC 6296 (pkt.py's reference), inside to
      outside.
  xlate.py timex -i IFNAME -d ADDR -p PORT -s SRCADDR -H HOPS
      The same with a hop limit of HOPS, for the ICMPv6 time exceeded of a
      router on the way (traceroute): prints "timex ok from ROUTER ..." or
      "timex bad ...".
"""

import getopt
import select
import socket
import struct
import sys
import time

import pkt


def die(msg):
    sys.stderr.write("Error: %s\n" % msg)
    sys.exit(2)


def fam(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def seen_one(src, dest, port, udp):
    kind = socket.SOCK_DGRAM if udp else socket.SOCK_STREAM
    s = socket.socket(fam(dest), kind)
    s.settimeout(5)
    s.bind((src, 0))
    s.connect((dest, port))
    if udp:
        for _ in range(5):
            s.send(b"probe\n")
            try:
                data = s.recv(2048)
                break
            except socket.timeout:
                continue
        else:
            die("no reply from %s port %d" % (dest, port))
    else:
        data = b""
        while b"\n" not in data:
            chunk = s.recv(2048)
            if not chunk:
                break
            data += chunk
    s.close()
    return data.split(b"\n")[0].split()[0].decode()


def seen(o, specs):
    port = int(o.get("-p", 5000))
    for spec in specs:
        path, _, proto = spec.partition("/")
        src, sep, dest = path.partition(">")
        if not sep or proto not in ("", "udp"):
            die("probe \"%s\" is not SRC>DST[/udp]" % spec)
        print("%s %s" % (spec, seen_one(src, dest, port, proto == "udp")), flush=True)


def accept(o):
    port, count = int(o["-p"]), int(o.get("-n", 1))
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    s.listen(16)
    s.settimeout(float(o.get("-w", 20)))
    print("# listening", flush=True)
    for _ in range(count):
        c, peer = s.accept()
        local = c.getsockname()[0]
        peer = peer[0].replace("::ffff:", "") if "." in peer[0] else peer[0]
        local = local.replace("::ffff:", "") if "." in local else local
        print("accepted %s on %s" % (peer, local), flush=True)
        c.sendall(b"hello %s\n" % peer.encode())
        c.close()


def connect(o):
    dest, port = o["-d"], int(o["-p"])
    s = socket.socket(fam(dest), socket.SOCK_STREAM)
    s.settimeout(5)
    if "-b" in o:
        s.bind((o["-b"], 0))
    s.connect((dest, port))
    data = b""
    while b"\n" not in data:
        chunk = s.recv(2048)
        if not chunk:
            break
        data += chunk
    print("connected reply=%s" % data.split(b"\n")[0].decode().replace(" ", "_"), flush=True)


def probe(o, hops=None):
    """Send one UDP datagram from -s to -d:-p, capturing on -i: (sent, errors)."""
    dest, port, src = o["-d"], int(o["-p"]), o["-s"]
    v6 = fam(dest) == socket.AF_INET6
    cap = pkt.packet_socket(o["-i"])
    cap.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    s = socket.socket(fam(dest), socket.SOCK_DGRAM)
    s.bind((src, 0))
    if hops:
        if v6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, hops)
        else:
            s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, hops)
    sport = s.getsockname()[1]
    s.sendto(b"xlate probe\n", (dest, port))
    ethertype = pkt.ETH_P_IPV6 if v6 else pkt.ETH_P_IP
    sent, errors = None, []
    end = time.monotonic() + 5
    sa = pkt.ip6(src) if v6 else pkt.ip4(src)
    while time.monotonic() < end and not errors:
        select.select([cap], [], [], 0.2)
        while True:
            try:
                frame, addr = cap.recvfrom(65536)
            except BlockingIOError:
                break
            if struct.unpack_from("!H", frame, 12)[0] != ethertype:
                continue
            p = frame[14:]
            if addr[2] == pkt.PACKET_OUTGOING:
                # Our datagram on its way out: remember its UDP header.
                if v6 and p[6] == pkt.UDP and p[8:24] == sa and \
                        struct.unpack_from("!H", p, 40)[0] == sport:
                    sent = p
                elif not v6 and p[9] == pkt.UDP and p[12:16] == sa and \
                        struct.unpack_from("!H", p, 20)[0] == sport:
                    sent = p
                continue
            if v6 and p[6] == pkt.ICMPV6 and p[40] in pkt.ICMPV6_ERRORS:
                errors.append(p)
            elif not v6 and p[9] == pkt.ICMP and p[20] in pkt.ICMP_ERRORS:
                errors.append(p)
    return sent, errors, sa, sport


def check_error(o, want_type, hops=None):
    sent, errors, sa, sport = probe(o, hops)
    if not sent:
        return "bad: our datagram was not seen leaving"
    if not errors:
        return "bad: no ICMP error came back"
    p = errors[0]
    v6 = fam(o["-d"]) == socket.AF_INET6
    problems = []
    if v6:
        typ, code = p[40], p[41]
        dst, frm = p[24:40], p[8:24]
        inner = p[48:]
        isrc, iudp = inner[8:24], inner[40:48]
        sudp = sent[40:48]
        problems += pkt.verify6(p)
    else:
        typ, code = p[20], p[21]
        dst, frm = p[16:20], p[12:16]
        inner = p[28:]
        ihl = (inner[0] & 15) * 4
        isrc, iudp = inner[12:16], inner[ihl:ihl + 8]
        sudp = sent[20:28]
        problems += pkt.verify4(p)
    if typ != want_type:
        problems.append("type %d code %d" % (typ, code))
    if dst != sa:
        problems.append("outer destination %s" % socket.inet_ntop(fam(o["-d"]), dst))
    if isrc != sa:
        problems.append("embedded source %s" % socket.inet_ntop(fam(o["-d"]), isrc))
    if iudp[:4] != sudp[:4]:
        problems.append("embedded ports")
    if iudp[6:8] != sudp[6:8]:
        problems.append("embedded UDP checksum %s, sent %s" % (iudp[6:8].hex(), sudp[6:8].hex()))
    what = "from %s type %d code %d" % (socket.inet_ntop(fam(o["-d"]), frm), typ, code)
    if problems:
        return "bad: %s: %s" % (what, "; ".join(problems))
    return "ok %s" % what


def main():
    cmds = {"seen": "p:", "accept": "p:n:w:", "connect": "d:p:b:",
            "unreach": "i:d:p:s:", "timex": "i:d:p:s:H:", "npt": "m:"}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        die("command? " + " | ".join(cmds))
    try:
        opts, rest = getopt.getopt(sys.argv[2:], cmds[sys.argv[1]])
    except getopt.GetoptError as e:
        die(str(e))
    o = {k: (v if v else True) for k, v in opts}
    cmd = sys.argv[1]
    if cmd == "seen":
        seen(o, rest)
        return 0
    if cmd == "npt" and len(rest) == 1:
        inside, _, outside = o["-m"].partition("=")
        out = pkt.Npt(inside, outside).map(pkt.ip6(rest[0]), True)
        print(socket.inet_ntop(socket.AF_INET6, out) if out else "untranslatable")
        return 0
    if rest:
        die("unexpected argument \"%s\"" % rest[0])
    if cmd == "accept":
        accept(o)
    elif cmd == "connect":
        connect(o)
    elif cmd == "unreach":
        v6 = fam(o["-d"]) == socket.AF_INET6
        r = check_error(o, 1 if v6 else 3)
        print("unreach " + r, flush=True)
        return 0 if r.startswith("ok") else 1
    else:
        r = check_error(o, 3 if fam(o["-d"]) == socket.AF_INET6 else 11, int(o["-H"]))
        print("timex " + r, flush=True)
        return 0 if r.startswith("ok") else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
