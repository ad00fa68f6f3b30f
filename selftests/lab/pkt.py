# SPDX-License-Identifier: GPL-2.0
"""Raw packets for the translation tests, standard library only: IPv6 and
IPv4 headers, TCP/UDP/ICMP/ICMPv6 with their checksums, a destination
options header, AF_PACKET send and capture, entering a network namespace
for a socket (setns through libc), checksum verification of captured
packets (outer and embedded), and RFC 6296 NPTv6 as a reference: the
adjustment of section 3.2, applied to the subnet word for prefixes of /48
and shorter (3.4) and to the first interface-identifier word that is not
0xFFFF for longer ones (3.5), a result of 0xFFFF written as 0x0000. As
0xFFFF and 0x0000 are the same one's complement number, a word that holds
0xFFFF cannot be mapped one to one: a subnet word of 0xFFFF (/48 and
shorter) and an interface identifier of four 0xFFFF words (longer) are
untranslatable (None), to be dropped with an ICMPv6 Parameter Problem."""

import ctypes
import ipaddress
import os
import socket
import struct

ETH_P_ALL = 0x0003
ETH_P_IPV6 = 0x86DD
ETH_P_IP = 0x0800
PACKET_OUTGOING = 4

TCP, UDP, ICMP, ICMPV6, DSTOPTS = 6, 17, 1, 58, 60
ICMPV6_ERRORS = (1, 2, 3, 4)
ICMP_ERRORS = (3, 11, 12)


# ---- one's complement arithmetic -----------------------------------------

def csum_add(a, b):
    s = a + b
    return (s & 0xFFFF) + (s >> 16)


def ocsum(data, start=0):
    """One's complement sum (not inverted) of data, folded to 16 bits."""
    if len(data) % 2:
        data += b"\0"
    s = start
    for (w,) in struct.iter_unpack("!H", data):
        s += w
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def checksum(data, start=0):
    return ~ocsum(data, start) & 0xFFFF


def pseudo6(src, dst, length, proto):
    return src + dst + struct.pack("!IxxxB", length, proto)


def pseudo4(src, dst, length, proto):
    return src + dst + struct.pack("!xBH", proto, length)


# ---- RFC 6296 reference ------------------------------------------------------

def prefix_bytes(text):
    net = ipaddress.IPv6Network(text)
    return net.network_address.packed, net.prefixlen


class Npt:
    """One mapping inside -> outside; map(addr, outbound) -> bytes or None."""

    def __init__(self, inside, outside):
        self.inside, self.plen = prefix_bytes(inside)
        self.outside, olen = prefix_bytes(outside)
        assert olen == self.plen
        self.text = (inside, outside)
        # 3.2: inside sum minus outside sum, in one's complement.
        si, so = ocsum(self.inside), ocsum(self.outside)
        self.adj_out = csum_add(si, ~so & 0xFFFF)   # inside -> outside
        self.adj_in = csum_add(so, ~si & 0xFFFF)    # outside -> inside

    def contains(self, addr, outbound):
        pfx = self.inside if outbound else self.outside
        return prefix_match(addr, pfx, self.plen)

    def map(self, addr, outbound):
        new_pfx = self.outside if outbound else self.inside
        adj = self.adj_out if outbound else self.adj_in
        a = bytearray(addr)
        for bit in range(self.plen):
            byte, m = bit // 8, 0x80 >> (bit % 8)
            a[byte] = (a[byte] & ~m) | (new_pfx[byte] & m)
        if self.plen <= 48:
            idx = 3
            if a[6:8] == b"\xff\xff":
                return None         # 0xFFFF is 0x0000: no one-to-one mapping
        else:
            for idx in range(4, 8):
                if a[2 * idx:2 * idx + 2] != b"\xff\xff":
                    break
            else:
                return None
        w = struct.unpack_from("!H", a, 2 * idx)[0]
        w = csum_add(w, adj)
        if w == 0xFFFF:
            w = 0
        struct.pack_into("!H", a, 2 * idx, w)
        return bytes(a)


def prefix_match(addr, pfx, plen):
    full, rest = divmod(plen, 8)
    if addr[:full] != pfx[:full]:
        return False
    if rest:
        m = (0xFF << (8 - rest)) & 0xFF
        return (addr[full] & m) == (pfx[full] & m)
    return True


# ---- building ------------------------------------------------------------------

def ip6(addr):
    return socket.inet_pton(socket.AF_INET6, addr) if isinstance(addr, str) else addr


def ip4(addr):
    return socket.inet_pton(socket.AF_INET, addr) if isinstance(addr, str) else addr


def l4_6(proto, src, dst, body):
    """TCP, UDP or ICMPv6 body (checksum field zero) with its checksum set."""
    off = {TCP: 16, UDP: 6, ICMPV6: 2}[proto]
    c = checksum(pseudo6(src, dst, len(body), proto) + body)
    if proto == UDP and c == 0:
        c = 0xFFFF
    return body[:off] + struct.pack("!H", c) + body[off + 2:]


def tcp_body(sport, dport, payload, flags=0x18, seq=1, ack=1):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload


def udp_body(sport, dport, payload):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def icmp6_body(typ, code, rest, payload):
    return struct.pack("!BBH", typ, code, 0) + rest + payload


def ipv6(src, dst, nexthdr, payload, hlim=64, dstopts=False):
    """An IPv6 packet; with dstopts a Destination Options header (PadN) first."""
    src, dst = ip6(src), ip6(dst)
    if dstopts:
        payload = struct.pack("!BB", nexthdr, 0) + b"\x01\x04\0\0\0\0" + payload
        nexthdr = DSTOPTS
    return struct.pack("!IHBB", 6 << 28, len(payload), nexthdr, hlim) + src + dst + payload


def ipv4(src, dst, proto, payload, ttl=64, ident=1):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0, ttl, proto, 0,
                      ip4(src), ip4(dst))
    return hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:] + payload


# ---- parsing and verification ---------------------------------------------

def v6_upper(pkt):
    """(nexthdr, offset of the upper-layer header) after extension headers."""
    nh, off = pkt[6], 40
    while nh in (0, 43, 60) and off + 2 <= len(pkt):
        nh, off = pkt[off], off + (pkt[off + 1] + 1) * 8
    return nh, off


def verify6(pkt):
    """Problems with an IPv6 packet's checksums, outer and embedded: list of text."""
    bad = []
    nh, off = v6_upper(pkt)
    src, dst = pkt[8:24], pkt[24:40]
    body = pkt[off:]
    if nh in (TCP, UDP, ICMPV6) and ocsum(pseudo6(src, dst, len(body), nh) + body) != 0xFFFF:
        bad.append("outer %s checksum" % {TCP: "TCP", UDP: "UDP", ICMPV6: "ICMPv6"}[nh])
    return bad


def verify4(pkt):
    """Problems with an IPv4 packet's checksums: IP header, TCP/UDP/ICMP, and
    for an ICMP error the embedded IP header's checksum."""
    bad = []
    ihl = (pkt[0] & 15) * 4
    if ocsum(pkt[:ihl]) != 0xFFFF:
        bad.append("IP header checksum")
    proto, src, dst, body = pkt[9], pkt[12:16], pkt[16:20], pkt[ihl:]
    if proto in (TCP, UDP):
        if not (proto == UDP and body[6:8] == b"\0\0") and \
           ocsum(pseudo4(src, dst, len(body), proto) + body) != 0xFFFF:
            bad.append("%s checksum" % ("TCP" if proto == TCP else "UDP"))
    elif proto == ICMP:
        if ocsum(body) != 0xFFFF:
            bad.append("ICMP checksum")
        if body[0] in ICMP_ERRORS and len(body) >= 28:
            inner = body[8:]
            iihl = (inner[0] & 15) * 4
            if ocsum(inner[:iihl]) != 0xFFFF:
                bad.append("embedded IP header checksum")
    return bad


# ---- namespaces and sockets -------------------------------------------------

_libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNET = 0x40000000


def setns(name):
    """Enter network namespace NAME (from ip netns); sockets opened later live there."""
    fd = os.open("/run/netns/" + name if "/" not in name else name, os.O_RDONLY)
    try:
        if _libc.setns(fd, CLONE_NEWNET) != 0:
            e = ctypes.get_errno()
            raise OSError(e, os.strerror(e))
    finally:
        os.close(fd)


def packet_socket(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(socket.SOL_SOCKET, 33, 16 << 20)  # SO_RCVBUFFORCE
    s.bind((ifname, ETH_P_ALL))
    s.setblocking(False)
    return s


def mac(text):
    return bytes.fromhex(text.replace(":", ""))


def recv_all(sock, out, ethertype=ETH_P_IPV6):
    """Append every waiting frame of ethertype (not our own sends) to out, as
    the packet without its Ethernet header; return how many."""
    n = 0
    while True:
        try:
            frame, addr = sock.recvfrom(65536)
        except BlockingIOError:
            return n
        if addr[2] == PACKET_OUTGOING or len(frame) < 14:
            continue
        if struct.unpack_from("!H", frame, 12)[0] != ethertype:
            continue
        out.append(frame[14:])
        n += 1
