# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared helpers of the kernel tests (tests/kernel_checks.py,
kernel_reach.py, diff_reach.py, diff_errors.py) and of the kernel oracle
(tools/oracle/iptlint-oracle): throwaway network namespaces, loading a
ruleset with a real iptables-restore, sending packets through it and
reading the rule counters back. Python 3 standard library only; needs
root.

Every namespace is named iptl-<tag>-<random> and deleted in a finally
block (and on SIGTERM/SIGINT, which meson sends on a timeout), so the
host's own rules and traffic are never touched.

The traffic lab (class Lab) is two namespaces joined by one or more veth
pairs: "dut" holds the ruleset, "peer" is the outside world. Both take
every packet that arrives on a veth as local (ip rule iif <veth> lookup
100, table 100 = local 0.0.0.0/0) and may bind to any address
(ip_nonlocal_bind), so a socket can use any source and destination
address of an example: peer -> dut packets traverse PREROUTING and
INPUT of the dut, dut -> peer packets OUTPUT and POSTROUTING, and dut ->
dut packets (to an address in dut.local_nets) OUTPUT, POSTROUTING,
PREROUTING and INPUT on lo. Interfaces of the dut get the names an
example uses (eth0, wan1, ...). The transit addresses are in
198.18.0.0/15 (RFC 2544), which no example should use.

Forwarded packets (Lab.forward_route) leave the peer on the veth of one
dut interface and come back to it on another: the dut routes that
destination (and the replies to that source) with rules of preference 50
and table 200, before the "everything is local" rule.
"""
import contextlib
import ctypes
import ipaddress
import json
import os
import random
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
import uuid

CLONE_NEWNET = 0x40000000
SO_MARK = 36
SO_BINDTODEVICE = 25
IP_HDRINCL = 3
IP_TRANSPARENT = 19

_libc = ctypes.CDLL(None, use_errno=True)
_live_ns = set()


# ------------------------------------------------------------ prerequisites

def skip(msg):
    print("SKIP: " + msg)
    sys.exit(77)


def require(legacy=True, nft=False):
    """Exit 77 (meson: skipped) unless we can run kernel tests."""
    if os.geteuid() != 0:
        skip("needs root (network namespaces, iptables-restore)")
    if not shutil.which("ip"):
        skip("no 'ip' (iproute2)")
    try:
        ns = new_ns("probe")
        del_ns(ns)
    except (OSError, subprocess.CalledProcessError) as e:
        skip("cannot create a network namespace with 'ip netns add' (%s)" % e)
    if legacy and not shutil.which("iptables-legacy-restore"):
        skip("no iptables-legacy-restore")
    if nft and not shutil.which("iptables-nft-restore"):
        skip("no iptables-nft-restore")


def _cleanup_all():
    for ns in list(_live_ns):
        del_ns(ns)


def _on_signal(signum, frame):
    _cleanup_all()
    raise SystemExit(128 + signum)


def install_signal_handlers():
    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, _on_signal)


# ------------------------------------------------------------- namespaces

def run(cmd, check=True, input=None, timeout=60):
    p = subprocess.run(cmd, input=input, capture_output=True, timeout=timeout)
    if check and p.returncode != 0:
        raise subprocess.CalledProcessError(p.returncode, cmd, p.stdout,
                                            p.stderr)
    return p


def new_ns(tag):
    name = "iptl-%s-%s" % (tag, uuid.uuid4().hex[:8])
    run(["ip", "netns", "add", name])
    _live_ns.add(name)
    return name


def del_ns(name):
    subprocess.run(["ip", "netns", "del", name], capture_output=True)
    _live_ns.discard(name)


@contextlib.contextmanager
def netns_scope(tag):
    """A fresh namespace for the with block, deleted afterwards."""
    ns = new_ns(tag)
    try:
        yield ns
    finally:
        del_ns(ns)


@contextlib.contextmanager
def inside(ns):
    """Run the with block's socket calls inside namespace @ns."""
    me = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    there = os.open("/run/netns/" + ns, os.O_RDONLY)
    try:
        if _libc.setns(there, CLONE_NEWNET) != 0:
            e = ctypes.get_errno()
            raise OSError(e, "setns %s: %s" % (ns, os.strerror(e)))
        yield
    finally:
        if _libc.setns(me, CLONE_NEWNET) != 0:
            # Never carry on in the wrong namespace.
            os._exit(99)
        os.close(me)
        os.close(there)


def sysctl(ns, key, value):
    """Write a per-namespace sysctl (silently ignored if it is missing)."""
    with inside(ns):
        try:
            with open("/proc/sys/" + key.replace(".", "/"), "w") as f:
                f.write(str(value))
        except OSError:
            pass


# ------------------------------------------------------ loading rulesets

def restore_cmd(backend, family):
    return "%s-%s-restore" % ("ip6tables" if family == 6 else "iptables",
                              backend)


def save_cmd(backend, family):
    return "%s-%s-save" % ("ip6tables" if family == 6 else "iptables",
                           backend)


def load(ns, data, backend, family, counters=True):
    """iptables-<backend>-restore a ruleset into @ns: (status, stderr)."""
    cmd = ["ip", "netns", "exec", ns, restore_cmd(backend, family)]
    if counters:
        cmd.append("-c")
    p = subprocess.run(cmd, input=data, capture_output=True, timeout=120)
    return p.returncode, p.stderr.decode("utf-8", "replace").strip()


def load_fresh(data, backend, family, tag="ld"):
    """Load @data into a namespace of its own, then delete it."""
    with netns_scope(tag) as ns:
        return load(ns, data, backend, family)


SAVE_RULE_RE = re.compile(r"^\[(\d+):(\d+)\] -A (\S+)")
SAVE_CHAIN_RE = re.compile(r"^:(\S+) (\S+) \[(\d+):(\d+)\]")


def save_counters(ns, backend, family=4):
    """iptables-save -c of @ns: {(table, chain): [(pkts, bytes) of each
    rule in order]} and the chains' policy counters {(table, chain):
    (policy, pkts, bytes)}."""
    p = run(["ip", "netns", "exec", ns, save_cmd(backend, family), "-c"])
    rules, policies = {}, {}
    table = None
    for line in p.stdout.decode().splitlines():
        if line.startswith("*"):
            table = line[1:].strip()
            continue
        m = SAVE_CHAIN_RE.match(line)
        if m:
            policies[(table, m.group(1))] = (m.group(2), int(m.group(3)),
                                              int(m.group(4)))
            rules.setdefault((table, m.group(1)), [])
            continue
        m = SAVE_RULE_RE.match(line)
        if m:
            rules.setdefault((table, m.group(3)), []).append(
                (int(m.group(1)), int(m.group(2))))
    return rules, policies


def counters(ns, backend, family=4):
    """{(table, chain): [pkts of each rule in order]} and the policies'
    counters {(table, chain): pkts}."""
    rules, policies = save_counters(ns, backend, family)
    return ({k: [c[0] for c in v] for k, v in rules.items()},
            {k: v[1] for k, v in policies.items()})


# ------------------------------------------------------ reading rulesets

IPTLINT_ARGS_RE = re.compile(r"^# iptlint-args:(.*)$")


def iptlint_args(text):
    first = text.split("\n", 1)[0]
    m = IPTLINT_ARGS_RE.match(first)
    return m.group(1).split() if m else []


def family_of(text, args=None):
    args = iptlint_args(text) if args is None else args
    if "-6" in args or "--family=6" in args:
        return 6
    if "-4" in args or "--family=4" in args:
        return 4
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        for m in re.finditer(r"(?:^|\s)(?:-s|-d|--source|--destination|"
                             r"--to-destination|--to-source|--to)\s+(\S+)",
                             line):
            if ":" in m.group(1).split("/")[0] and \
                    not re.match(r"^[\d.]+:\d", m.group(1)):
                return 6
        if re.search(r"icmpv6|ipv6-icmp|icmp6|--reject-with icmp6", line):
            return 6
    return 4


class RuleRef:
    """A -A line of a ruleset: where it is in the file and in the kernel."""

    def __init__(self, line, table, chain, index, text):
        self.line, self.table, self.chain = line, table, chain
        self.index, self.text = index, text

    def __repr__(self):
        return "line %d (%s %s #%d)" % (self.line, self.table, self.chain,
                                        self.index + 1)


def line_counter(refs, counts):
    """A function: input line -> the packet counter of its rule (None when
    the line is no rule or the kernel has no counter for it). @refs from
    rule_lines(), @counts from counters()."""
    def count(line):
        r = refs.get(line)
        if r is None:
            return None
        c = counts.get((r.table, r.chain), [])
        return c[r.index] if r.index < len(c) else None
    return count


def appends(text, split=str.split):
    """(line number, table, chain, index in the chain, line, words after the
    chain) of every -A/--append rule of a restore file, [p:b] prefix or not,
    the words cut by @split."""
    table = None
    idx = {}
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("*"):
            table = line[1:].strip()
            continue
        words = split(line)
        if words and words[0].startswith("["):
            words = words[1:]
        if len(words) < 2 or words[0] not in ("-A", "--append"):
            continue
        key = (table, words[1])
        i = idx.get(key, 0)
        idx[key] = i + 1
        yield n, table, words[1], i, line, words[2:]


def rule_lines(text):
    """{line number: RuleRef} for every -A/--append rule of the file."""
    return {n: RuleRef(n, table, chain, i, line)
            for n, table, chain, i, line, _ in appends(text)}


# ------------------------------------------------------------------ iptlint

def iptlint_json(iptlint, path, args=(), cwd=None, data=None):
    """Run iptlint --format=json on @path (or '-' with @data)."""
    args = [a for a in args if not a.startswith(("--format", "--color"))]
    cmd = [iptlint, "--format=json", "--fail-on=never"] + args
    cmd.append(str(path) if data is None else "-")
    p = subprocess.run(cmd, input=data, capture_output=True, cwd=cwd,
                       timeout=120)
    if p.returncode != 0:
        raise RuntimeError("iptlint exited %d: %s" % (
            p.returncode, p.stderr.decode("utf-8", "replace")))
    return json.loads(p.stdout)["diagnostics"]


# ------------------------------------------------------------------ packets

def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def ip4(src, dst, proto, payload, ttl=64, frag=0, mf=False, ident=None,
        tos=0):
    """An IPv4 packet (header checksum filled in)."""
    ident = random.randrange(1, 65535) if ident is None else ident
    flags = (0x2000 if mf else 0) | (frag & 0x1fff)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, tos, 20 + len(payload), ident,
                      flags, ttl, proto, 0, socket.inet_aton(src),
                      socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def _pseudo(src, dst, proto, length):
    return socket.inet_aton(src) + socket.inet_aton(dst) + \
        struct.pack("!BBH", 0, proto, length)


TCP_FLAGS = {"FIN": 0x01, "SYN": 0x02, "RST": 0x04, "PSH": 0x08,
             "ACK": 0x10, "URG": 0x20, "ECE": 0x40, "CWR": 0x80}


def tcp(src, dst, sport, dport, flags, seq=None, ack=0, data=b""):
    seq = random.randrange(1 << 32) if seq is None else seq
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags,
                      65535, 0, 0)
    seg = hdr + data
    c = csum(_pseudo(src, dst, 6, len(seg)) + seg)
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def udp(src, dst, sport, dport, data=b"x"):
    seg = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    c = csum(_pseudo(src, dst, 17, len(seg)) + seg) or 0xffff
    return seg[:6] + struct.pack("!H", c) + seg[8:]


def icmp(itype, code=0, ident=None, seq=1, data=b"iptlint"):
    ident = random.randrange(1, 65535) if ident is None else ident
    hdr = struct.pack("!BBHHH", itype, code, 0, ident, seq) + data
    return hdr[:2] + struct.pack("!H", csum(hdr)) + hdr[4:]


# ------------------------------------------------------------------ the lab

class Lab:
    """Two namespaces, dut and peer, joined by veth pairs (see the module
    documentation). @ifnames: the dut's interface names (the peer's are
    p0, p1, ...); @local_nets: extra local addresses of the dut (dut ->
    dut traffic over lo).

    A connection's replies must come back on the interface its first
    packet used (a socket bound to a device only takes packets from it),
    so before a flow the other side gets a /32 route to the flow's source
    address through that interface (set_return_route)."""

    def __init__(self, tag, ifnames=("veth0",), local_nets=()):
        self.tag = tag
        self.ifnames = list(ifnames) or ["veth0"]
        self.local_nets = list(local_nets)
        self.dut = self.peer = None
        self.pending = []       # connecting TCP sockets, closed by settle()
        self.listeners = []
        self.sent = 0           # packets we sent ourselves
        self.errors = []        # sends the kernel refused
        self.routes = {}        # (ns, addr) -> dev of its /32 route
        self.fwd_rules = set()  # (iif, addr) of the forwarding rules
        self.forwarding = False

    # set-up ---------------------------------------------------------------
    def __enter__(self):
        try:
            self._setup()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        for s in self.pending + self.listeners:
            s.close()
        self.pending, self.listeners = [], []
        for ns in (self.dut, self.peer):
            if ns:
                del_ns(ns)
        self.dut = self.peer = None

    def _batch(self, ns, lines):
        if lines:
            run(["ip", "-n", ns, "-batch", "-"],
                input="\n".join(lines).encode() + b"\n")

    def _setup(self):
        self.dut = new_ns(self.tag + "-d")
        self.peer = new_ns(self.tag + "-p")
        self.peer_if = {}
        self.index = {}
        dut_b, peer_b = ["link set lo up"], ["link set lo up"]
        for i, name in enumerate(self.ifnames):
            pname = "p%d" % i
            self.peer_if[name] = pname
            self.index[name] = i
            run(["ip", "-n", self.dut, "link", "add", name, "type", "veth",
                 "peer", "name", pname, "netns", self.peer])
            dut_b += ["addr add 198.18.%d.2/30 dev %s" % (i, name),
                      "link set %s up" % name]
            peer_b += ["addr add 198.18.%d.1/30 dev %s" % (i, pname),
                       "link set %s up" % pname]
        self._batch(self.dut, dut_b)
        self._batch(self.peer, peer_b)
        macs = {}
        for ns in (self.dut, self.peer):
            p = run(["ip", "-n", ns, "-j", "link", "show"])
            for l in json.loads(p.stdout):
                macs[(ns, l["ifname"])] = l.get("address")
        dut_b, peer_b = [], []
        for i, name in enumerate(self.ifnames):
            pname = self.peer_if[name]
            dut_b += ["neigh replace 198.18.%d.1 lladdr %s dev %s nud permanent"
                      % (i, macs[(self.peer, pname)], name),
                      "route add default via 198.18.%d.1 dev %s metric %d"
                      % (i, name, 100 + i),
                      "rule add iif %s lookup 100 pref 100" % name]
            peer_b += ["neigh replace 198.18.%d.2 lladdr %s dev %s nud permanent"
                       % (i, macs[(self.dut, name)], pname),
                       "route add default via 198.18.%d.2 dev %s metric %d"
                       % (i, pname, 100 + i),
                       "rule add iif %s lookup 100 pref 100" % pname]
        dut_b.append("route add local 0.0.0.0/0 dev lo table 100")
        peer_b.append("route add local 0.0.0.0/0 dev lo table 100")
        for net in self.local_nets:
            dut_b.append("route add local %s dev lo" % net)
        self._batch(self.dut, dut_b)
        self._batch(self.peer, peer_b)
        for ns, devs in ((self.dut, self.ifnames),
                         (self.peer, list(self.peer_if.values()))):
            for dev in ["all", "default", "lo"] + devs:
                sysctl(ns, "net.ipv4.conf.%s.rp_filter" % dev, 0)
                sysctl(ns, "net.ipv4.conf.%s.accept_local" % dev, 1)
            sysctl(ns, "net.ipv4.ip_nonlocal_bind", 1)
            sysctl(ns, "net.ipv4.icmp_ratelimit", 0)
            sysctl(ns, "net.ipv4.icmp_msgs_per_sec", 1000000)
            sysctl(ns, "net.ipv4.icmp_msgs_burst", 1000000)
            sysctl(ns, "net.ipv4.tcp_syn_retries", 1)

    def load(self, data, backend="legacy"):
        """Without -c: the counters then only count our packets."""
        return load(self.dut, data, backend, 4, counters=False)

    def counters(self, backend="legacy"):
        return counters(self.dut, backend, 4)

    def after_load(self):
        """Once conntrack is up in the dut: no TCP window checks (hand-made
        segments)."""
        sysctl(self.dut, "net.netfilter.nf_conntrack_tcp_be_liberal", 1)

    def flush_conntrack(self):
        if shutil.which("conntrack"):
            subprocess.run(["ip", "netns", "exec", self.dut, "conntrack",
                            "-F"], capture_output=True)

    def is_dut_local(self, addr):
        a = ipaddress.ip_address(addr)
        return any(a in ipaddress.ip_network(n, strict=False)
                   for n in self.local_nets) or a.is_loopback

    # routing of replies ---------------------------------------------------
    def set_return_route(self, side, addr, dev):
        """Make @side (dut/peer) send packets to @addr over @dev (a dut
        interface name, or its peer)."""
        ns = self._ns(side)
        if dev is None or (side == "dut" and self.is_dut_local(addr)):
            return
        if self.routes.get((ns, addr)) == dev:
            return
        if self.pending:
            self.settle(0)
        i = self.index[dev]
        if side == "dut":
            cmd = "route replace %s/32 via 198.18.%d.1 dev %s" % (addr, i, dev)
        else:
            cmd = "route replace %s/32 via 198.18.%d.2 dev %s" % (
                addr, i, self.peer_if[dev])
        self._batch(ns, [cmd])
        self.routes[(ns, addr)] = dev

    def forward_route(self, src, dst, in_dev, out_dev):
        """Make the dut forward @src -> @dst from @in_dev out of @out_dev
        (dut interface names), and the replies back; the peer answers
        for @dst on the veth of @out_dev."""
        if not self.forwarding:
            sysctl(self.dut, "net.ipv4.ip_forward", 1)
            self.forwarding = True
        cmds = []
        for iif, addr, dev in ((in_dev, dst, out_dev),
                               (out_dev, src, in_dev)):
            if (iif, addr) in self.fwd_rules:
                continue
            if self.pending:
                self.settle(0)
            cmds += ["rule add iif %s to %s/32 lookup 200 pref 50" % (
                         iif, addr),
                     "route replace %s/32 via 198.18.%d.1 dev %s table 200"
                     % (addr, self.index[dev], dev)]
            self.fwd_rules.add((iif, addr))
        self._batch(self.dut, cmds)
        # TCP replies of the peer's listener: back over @out_dev.
        self.set_return_route("peer", src, out_dev)

    # sockets --------------------------------------------------------------
    def _ns(self, side):
        return self.dut if side == "dut" else self.peer

    def _sock(self, side, kind, proto, dev=None, mark=None):
        with inside(self._ns(side)):
            s = socket.socket(socket.AF_INET, kind, proto)
        try:
            # Any source address: bind() allows it with ip_nonlocal_bind,
            # the route lookup needs FLOWI_FLAG_ANYSRC (IP_TRANSPARENT).
            s.setsockopt(socket.IPPROTO_IP, IP_TRANSPARENT, 1)
            if dev:
                name = dev if side == "dut" else self.peer_if.get(dev, dev)
                s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE,
                             name.encode())
            if mark is not None:
                # As unsigned 32 bits: setsockopt(int) refuses >= 2**31.
                s.setsockopt(socket.SOL_SOCKET, SO_MARK,
                             struct.pack("=I", mark & 0xffffffff))
        except OSError:
            s.close()
            raise
        return s

    def _other(self, side):
        return "peer" if side == "dut" else "dut"

    # one-shot packets -----------------------------------------------------
    def raw(self, side, pkt, dev=None, mark=None):
        """Send a complete IPv4 packet from @side (through its OUTPUT);
        from the peer it arrives at the dut on @dev (a dut name)."""
        try:
            s = self._sock(side, socket.SOCK_RAW, socket.IPPROTO_RAW, dev,
                           mark)
        except OSError as e:
            self.errors.append(e)
            return
        try:
            s.setsockopt(socket.IPPROTO_IP, IP_HDRINCL, 1)
            s.sendto(pkt, (socket.inet_ntoa(pkt[16:20]), 0))
            self.sent += 1
        except OSError as e:
            self.errors.append(e)
        finally:
            s.close()

    def udp(self, side, src, dst, sport, dport, dev=None, mark=None,
            data=b"iptlint"):
        try:
            s = self._sock(side, socket.SOCK_DGRAM, 0, dev, mark)
        except OSError as e:
            self.errors.append(e)
            return
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((src, sport))
            s.sendto(data, (dst, dport))
            self.sent += 1
        except OSError as e:
            self.errors.append(e)
        finally:
            s.close()

    def icmp(self, side, src, dst, itype=8, code=0, dev=None, mark=None,
             ident=None, seq=1, payload=b"iptlint"):
        try:
            s = self._sock(side, socket.SOCK_RAW, socket.IPPROTO_ICMP, dev,
                           mark)
        except OSError as e:
            self.errors.append(e)
            return
        try:
            s.bind((src, 0))
            s.sendto(icmp(itype, code, ident, seq, payload), (dst, 0))
            self.sent += 1
        except OSError as e:
            self.errors.append(e)
        finally:
            s.close()

    # flows ----------------------------------------------------------------
    def udp_flow(self, side, src, dst, sport, dport, dev=None, mark=None):
        """@side sends, the other side answers (conntrack: ESTABLISHED),
        @side sends again. The dut's packets carry @mark."""
        o = self._other(side)
        self.set_return_route(o, src, dev)
        m_a = mark if side == "dut" else None
        m_b = mark if o == "dut" else None
        self.udp(side, src, dst, sport, dport, dev, m_a)
        self.udp(o, dst, src, dport, sport, dev, m_b)
        self.udp(side, src, dst, sport, dport, dev, m_a)

    def icmp_flow(self, side, src, dst, dev=None, mark=None):
        """Echo request, a hand-made echo reply, another request."""
        o = self._other(side)
        self.set_return_route(o, src, dev)
        ident = random.randrange(1, 65535)
        m_a = mark if side == "dut" else None
        m_b = mark if o == "dut" else None
        self.icmp(side, src, dst, 8, 0, dev, m_a, ident, 1)
        self.icmp(o, dst, src, 0, 0, dev, m_b, ident, 1)
        self.icmp(side, src, dst, 8, 0, dev, m_a, ident, 2)

    def fwd_udp_flow(self, src, dst, sport, dport, in_dev, out_dev):
        """Through the dut's FORWARD: a datagram, the answer, another."""
        self.forward_route(src, dst, in_dev, out_dev)
        self.udp("peer", src, dst, sport, dport, in_dev)
        self.udp("peer", dst, src, dport, sport, out_dev)
        self.udp("peer", src, dst, sport, dport, in_dev)

    def fwd_icmp_flow(self, src, dst, in_dev, out_dev):
        self.forward_route(src, dst, in_dev, out_dev)
        ident = random.randrange(1, 65535)
        self.icmp("peer", src, dst, 8, 0, in_dev, None, ident, 1)
        self.icmp("peer", dst, src, 0, 0, out_dev, None, ident, 1)
        self.icmp("peer", src, dst, 8, 0, in_dev, None, ident, 2)

    def fwd_related(self, src, dst, sport, dport, in_dev, out_dev):
        """A datagram forwarded, and the ICMP error quoting it back."""
        self.forward_route(src, dst, in_dev, out_dev)
        data = b"iptlint"
        inner = ip4(src, dst, 17, udp(src, dst, sport, dport, data), ident=1)
        self.udp("peer", src, dst, sport, dport, in_dev, None, data)
        self.icmp("peer", dst, src, 3, 3, out_dev, None, ident=0, seq=0,
                  payload=inner[:28])

    def udp_related(self, side, src, dst, sport, dport, dev=None, mark=None):
        """@side sends a datagram, the other side answers with an ICMP port
        unreachable quoting it (conntrack: RELATED)."""
        o = self._other(side)
        self.set_return_route(o, src, dev)
        data = b"iptlint"
        inner = ip4(src, dst, 17, udp(src, dst, sport, dport, data), ident=1)
        self.udp(side, src, dst, sport, dport, dev,
                 mark if side == "dut" else None, data)
        self.icmp(o, dst, src, 3, 3, dev, mark if o == "dut" else None,
                  ident=0, seq=0, payload=inner[:28])

    def tcp_connect(self, side, src, dst, sport, dport, dev=None, mark=None):
        """A non-blocking connect(); settle() sends data on it if it
        connected (the other side listens, see listen()) and closes it."""
        o = self._other(side)
        self.set_return_route(o, src, dev)
        try:
            s = self._sock(side, socket.SOCK_STREAM, 0, dev, mark)
        except OSError as e:
            self.errors.append(e)
            return
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.setblocking(False)
            s.bind((src, sport))
            try:
                s.connect((dst, dport))
            except BlockingIOError:
                pass
            self.sent += 1
            self.pending.append(s)
        except OSError as e:
            self.errors.append(e)
            s.close()

    def listen(self, side, ports):
        """TCP listeners on 0.0.0.0:port of @side."""
        for p in ports:
            try:
                s = self._sock(side, socket.SOCK_STREAM, 0)
            except OSError as e:
                self.errors.append(e)
                continue
            try:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("0.0.0.0", p))
                s.listen(4096)
                s.setblocking(False)
                self.listeners.append(s)
            except OSError as e:
                self.errors.append(e)
                s.close()

    def settle(self, wait=0.05):
        """Let the stacks answer; send data on the TCP sockets that
        connected, accept and close everything."""
        if self.pending:
            deadline = time.time() + 0.3
            left = list(self.pending)
            while left and time.time() < deadline:
                _, w, _ = select.select([], left, [], deadline - time.time())
                for s in w:
                    if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                        try:
                            s.send(b"iptlint data")
                            self.sent += 1
                        except OSError:
                            pass
                    left.remove(s)
            time.sleep(0.02)
        self._accept_all()
        for s in self.pending:
            s.close()
        self.pending = []
        time.sleep(wait)

    def _accept_all(self):
        for l in self.listeners:
            while True:
                try:
                    c, _ = l.accept()
                except OSError:
                    break
                c.close()


def arg_parser(doc, seeds=None):
    """The argument parser every kernel test starts from: the first
    paragraph of @doc, --iptlint (default $IPTLINT), and, for the tests
    over random seeds, --seeds (default @seeds) and --start."""
    import argparse

    ap = argparse.ArgumentParser(
        description=doc.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--iptlint", default=os.environ.get("IPTLINT"))
    if seeds is not None:
        ap.add_argument("--seeds", type=int, default=seeds)
        ap.add_argument("--start", type=int, default=1)
    return ap


def example_args(doc, add_args=None):
    """The command line every kernel test of the examples shares: --iptlint,
    --source-root, FILE...; @add_args(parser) adds a test's own. Returns
    (opts, root, iptlint) with the paths absolute."""
    from pathlib import Path

    ap = arg_parser(doc)
    ap.add_argument("--source-root", type=Path,
                    default=Path(__file__).resolve().parent.parent.parent)
    if add_args:
        add_args(ap)
    ap.add_argument("files", nargs="*", type=Path)
    opts = ap.parse_args()
    if not opts.iptlint:
        ap.error("--iptlint is required")
    opts.files = [f.resolve() for f in opts.files]
    return opts, opts.source_root.resolve(), os.path.abspath(opts.iptlint)


def backend_args(ap):
    """--backend and --seed, for the tests that send traffic."""
    ap.add_argument("--backend", choices=("legacy", "nft", "both"),
                    default="both")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="print every rule's counter")
