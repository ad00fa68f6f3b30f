#!/usr/bin/python3 -BS
# SPDX-License-Identifier: GPL-2.0
"""The lab's "internet" server: TCP and UDP on one port or a range, both
families, on every address of its namespace. Tells each peer the source
address it saw (see labnet.py for the protocol), echoes, streams, and logs
one line per flow. SIGUSR1 prints the summary so far; SIGTERM/SIGINT print
it and exit.

usage: server.py [ -p PORT[-PORT] ] [ -t | -u ] [ -l LOGFILE ] [ -L ADDR=NAME ]...
summary: server tcp=N udp=N NAME=flows ...   (NAME from LAB_SRC_NAMES / -L)
"""

import errno
import selectors
import signal
import socket

import labnet

# Not every Python names IP_PKTINFO; its Linux value is fixed.
IP_PKTINFO = getattr(socket, "IP_PKTINFO", 8)
PKTINFO = {socket.AF_INET: (socket.IPPROTO_IP, IP_PKTINFO),
           socket.AF_INET6: (socket.IPPROTO_IPV6, socket.IPV6_RECVPKTINFO)}
BULK = b"BULK\n"
CHUNK = b"x" * 16384


class Conn:
    def __init__(self, sock, peer):
        self.sock, self.peer = sock, peer
        self.out = bytearray(b"%s %d\n" % (peer[0].encode(), peer[1]))
        self.first = True
        self.bulk = False


class Server:
    def __init__(self, opts):
        self.names = labnet.source_names(opts.get("-L"))
        self.log = open(opts["-l"][-1], "a", buffering=1) if "-l" in opts else None
        self.sel = selectors.DefaultSelector()
        self.udp_seen = set()
        self.counts = {}
        self.tcp = self.udp = 0
        for port in labnet.parse_ports(opts.get("-p", ["5000"])[-1]):
            for fam, any_addr in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
                if "-u" not in opts:
                    self._listen(fam, socket.SOCK_STREAM, any_addr, port)
                if "-t" not in opts:
                    self._listen(fam, socket.SOCK_DGRAM, any_addr, port)

    def _listen(self, fam, kind, addr, port):
        sock = socket.socket(fam, kind)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if fam == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        if kind == socket.SOCK_DGRAM:
            sock.setsockopt(*PKTINFO[fam], 1)
        sock.bind((addr, port))
        if kind == socket.SOCK_STREAM:
            sock.listen(1024)
        sock.setblocking(False)
        self.sel.register(sock, selectors.EVENT_READ,
                          self._accept if kind == socket.SOCK_STREAM else self._datagram)

    def _count(self, proto, peer, local):
        name = self.names.get(peer[0], peer[0])
        self.counts[name] = self.counts.get(name, 0) + 1
        if self.log:
            self.log.write("%s %s %d -> %s %d %s\n" % (proto, peer[0], peer[1],
                                                         local[0], local[1], name))

    def _accept(self, lsock):
        try:
            sock, peer = lsock.accept()
        except OSError:
            return
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.tcp += 1
        self._count("tcp", peer, sock.getsockname())
        conn = Conn(sock, peer)
        self.sel.register(sock, selectors.EVENT_READ | selectors.EVENT_WRITE,
                          lambda s, c=conn: self._io(c))

    def _datagram(self, sock):
        """Answer from the address the datagram went to: the socket is bound
        to the wildcard and the server has many addresses."""
        try:
            data, anc, _, peer = sock.recvmsg(2048, socket.CMSG_SPACE(20))
        except OSError:
            return
        port = sock.getsockname()[1]
        reply = []
        local = ("?", port)
        for level, kind, cdata in anc:
            if (level, kind) == (socket.IPPROTO_IP, IP_PKTINFO) and len(cdata) >= 12:
                # struct in_pktinfo: ifindex, spec_dst (the source to use), addr
                reply = [(level, kind, bytes(4) + cdata[8:12] + bytes(4))]
                local = (socket.inet_ntop(socket.AF_INET, cdata[8:12]), port)
            elif (level, kind) == (socket.IPPROTO_IPV6, socket.IPV6_PKTINFO) and len(cdata) >= 20:
                # struct in6_pktinfo: addr, ifindex
                reply = [(level, kind, cdata[:16] + bytes(4))]
                local = (socket.inet_ntop(socket.AF_INET6, cdata[:16]), port)
        flow = (peer[0], peer[1], local)
        if flow not in self.udp_seen:
            self.udp_seen.add(flow)
            self.udp += 1
            self._count("udp", peer, local)
        try:
            sock.sendmsg([b"%s %d\n" % (peer[0].encode(), peer[1]), data], reply, 0, peer)
        except OSError:
            pass

    def _io(self, conn):
        try:
            data = conn.sock.recv(65536)
            if not data:
                return self._close(conn)
            if conn.first and data.startswith(BULK):
                conn.bulk = True
                data = data[len(BULK):]
            conn.first = False
            if not conn.bulk:
                conn.out += data
        except BlockingIOError:
            pass
        except OSError:
            return self._close(conn)
        if conn.bulk and len(conn.out) < len(CHUNK):
            conn.out += CHUNK
        if conn.out:
            try:
                sent = conn.sock.send(conn.out)
                del conn.out[:sent]
            except BlockingIOError:
                pass
            except OSError:
                return self._close(conn)
        want = selectors.EVENT_READ
        if conn.out or conn.bulk:
            want |= selectors.EVENT_WRITE
        self.sel.modify(conn.sock, want, self.sel.get_key(conn.sock).data)

    def _close(self, conn):
        self.sel.unregister(conn.sock)
        conn.sock.close()

    def summary(self, *_):
        labnet.summary("server", (("tcp", self.tcp), ("udp", self.udp)), self.counts)

    def run(self):
        labnet.note("listening")
        while True:
            for key, _ in self.sel.select():
                key.data(key.fileobj)


class Stop(Exception):
    pass


def stop(*_):
    raise Stop()


def main():
    opts = labnet.options("p:tul:L:", __doc__.split("\n\n")[1])
    try:
        srv = Server(opts)
    except OSError as e:
        labnet.die("cannot listen: %s" % errno.errorcode.get(e.errno, e))
    signal.signal(signal.SIGUSR1, srv.summary)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        srv.run()
    except Stop:
        srv.summary()


if __name__ == "__main__":
    main()
