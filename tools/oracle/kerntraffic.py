# SPDX-License-Identifier: GPL-2.0-or-later
"""Packets that exercise a ruleset (kernel_reach.py, diff_reach.py).

parse_rules() reads the -A lines of a restore file into Rule objects with
the header fields they test (addresses, protocol, ports, interfaces, TCP
flags, ICMP type, marks, conntrack states, fragments). plan() turns them
into Emissions: for every rule a few packets that satisfy its tests (with
the untested fields drawn at random from the values the ruleset uses),
plus a random spray over the same values. send() puts one Emission on the
wire of a kernlib.Lab:

  path "in"     the peer sends to the dut: PREROUTING, INPUT on @dev;
  path "out"    the dut sends to the peer: OUTPUT, POSTROUTING on @dev,
                with SO_MARK @mark (the OUTPUT entry mark is the socket's);
  path "local"  the dut sends to one of its own addresses over lo;
  path "fwd"    the peer sends through the dut, in on @dev and out on
                @odev: PREROUTING, FORWARD, POSTROUTING (replies too);

and "kind" says how: a single raw packet (any TCP flags, fragments, other
protocols) or a flow whose later packets are ESTABLISHED (TCP handshake
with data, UDP and ICMP echo answered) or an ICMP error quoting a
datagram (RELATED). Everything is seeded: the same ruleset and seed send
the same packets.
"""
import ipaddress
import random

import kernlib

PROTOS = {"tcp": 6, "udp": 17, "icmp": 1, "all": 0, "esp": 50, "ah": 51,
          "gre": 47, "sctp": 132, "udplite": 136, "ipv6-icmp": 58,
          "icmpv6": 58}
TCPF = {"FIN": 0x01, "SYN": 0x02, "RST": 0x04, "PSH": 0x08, "ACK": 0x10,
        "URG": 0x20, "ECE": 0x40, "CWR": 0x80, "ALL": 0x3f, "NONE": 0}
ICMP_TYPES = {
    "any": None, "echo-reply": (0, 0, 255), "pong": (0, 0, 255),
    "destination-unreachable": (3, 0, 255), "network-unreachable": (3, 0, 0),
    "host-unreachable": (3, 1, 1), "protocol-unreachable": (3, 2, 2),
    "port-unreachable": (3, 3, 3), "fragmentation-needed": (3, 4, 4),
    "source-quench": (4, 0, 255), "redirect": (5, 0, 255),
    "echo-request": (8, 0, 255), "ping": (8, 0, 255),
    "router-advertisement": (9, 0, 255), "router-solicitation": (10, 0, 255),
    "time-exceeded": (11, 0, 255), "ttl-exceeded": (11, 0, 255),
    "ttl-zero-during-transit": (11, 0, 0), "parameter-problem": (12, 0, 255),
    "timestamp-request": (13, 0, 255), "timestamp-reply": (14, 0, 255),
    "address-mask-request": (17, 0, 255), "address-mask-reply": (18, 0, 255),
}
STATES = ("NEW", "ESTABLISHED", "RELATED", "INVALID", "UNTRACKED")
BUILTIN_HOOKS = {"PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"}
HOOK_PATHS = {"PREROUTING": ("in", "local"), "INPUT": ("in", "local"),
              "OUTPUT": ("out", "local"), "POSTROUTING": ("out", "local"),
              "FORWARD": ()}
DEFAULT_ADDRS = ["203.0.113.77", "198.51.100.77", "10.99.7.7"]
DEFAULT_PORTS = [22, 53, 80, 443, 8080, 40000]


def split_words(line):
    """iptables-restore's word splitting: only double quotes quote."""
    words, cur, inq, esc, have = [], [], False, False, False
    for ch in line:
        if esc:
            cur.append(ch)
            esc = False
        elif inq and ch == "\\":
            esc = True
        elif ch == '"':
            inq = not inq
            have = True
        elif ch in " \t\n" and not inq:
            if cur or have:
                words.append("".join(cur))
            cur, have = [], False
        else:
            cur.append(ch)
    if cur or have:
        words.append("".join(cur))
    return words


def _ranges(spec):
    """'80', '1024:', ':1023', '20:23,80' -> [(lo, hi)] (names: skipped)."""
    out = []
    for part in spec.split(","):
        if ":" in part:
            lo, hi = part.split(":", 1)
        else:
            lo = hi = part
        try:
            lo = int(lo) if lo else 0
            hi = int(hi) if hi else 65535
        except ValueError:
            continue
        out.append((lo, hi))
    return out


def _mark(spec):
    if "/" in spec:
        v, m = spec.split("/", 1)
        return int(v, 0), int(m, 0)
    return int(spec, 0), 0xffffffff


def _flags(spec):
    v = 0
    for f in spec.split(","):
        v |= TCPF.get(f.upper(), 0)
    return v


class Rule:
    def __init__(self, line, table, chain, index, words):
        self.line, self.table, self.chain, self.index = \
            line, table, chain, index
        self.words = words
        self.t = {}             # field -> (value, inverted)
        self.target = None
        self.goto = False
        self._parse()

    def _parse(self):
        w = self.words
        i, inv = 0, False
        while i < len(w):
            a = w[i]
            nxt = w[i + 1] if i + 1 < len(w) else ""
            if a == "!":
                inv = True
                i += 1
                continue
            consumed = 2
            if a in ("-s", "--source", "--src"):
                self.t["src"] = (nxt.split(","), inv)
            elif a in ("-d", "--destination", "--dst"):
                self.t["dst"] = (nxt.split(","), inv)
            elif a in ("-p", "--protocol"):
                p = nxt.lower()
                num = PROTOS.get(p)
                if num is None and p.isdigit():
                    num = int(p)
                if num is not None:
                    self.t["proto"] = (num, inv)
            elif a in ("-i", "--in-interface"):
                self.t["iif"] = (nxt, inv)
            elif a in ("-o", "--out-interface"):
                self.t["oif"] = (nxt, inv)
            elif a in ("--dport", "--destination-port"):
                self.t["dport"] = (_ranges(nxt), inv)
            elif a in ("--sport", "--source-port"):
                self.t["sport"] = (_ranges(nxt), inv)
            elif a in ("--dports", "--destination-ports"):
                self.t["dport"] = (_ranges(nxt), inv)
            elif a in ("--sports", "--source-ports"):
                self.t["sport"] = (_ranges(nxt), inv)
            elif a == "--ports":
                self.t["ports"] = (_ranges(nxt), inv)
            elif a == "--tcp-flags":
                self.t["flags"] = ((_flags(nxt), _flags(w[i + 2])
                                    if i + 2 < len(w) else 0), inv)
                consumed = 3
            elif a == "--syn":
                self.t["flags"] = ((0x17, 0x02), inv)
                consumed = 1
            elif a == "--icmp-type":
                self.t["icmp"] = (nxt, inv)
            elif a == "--mark" and "connmark" not in self._module(i):
                try:
                    self.t["mark"] = (_mark(nxt), inv)
                except ValueError:
                    pass
            elif a in ("--ctstate", "--state"):
                self.t["state"] = ({s.upper() for s in nxt.split(",")}, inv)
            elif a in ("-f", "--fragment"):
                self.t["frag"] = (True, inv)
                consumed = 1
            elif a == "--src-range":
                self.t["srange"] = (nxt, inv)
            elif a == "--dst-range":
                self.t["drange"] = (nxt, inv)
            elif a in ("-j", "--jump"):
                self.target = nxt
            elif a in ("-g", "--goto"):
                self.target, self.goto = nxt, True
            elif a.startswith("-") and not a.startswith("--") and len(a) == 2 \
                    and a not in ("-m", "-A", "-c"):
                consumed = 2
            else:
                consumed = 1 if a.startswith("--") and (
                    not nxt or nxt.startswith("-") or nxt == "!") else 2
                if not a.startswith("-"):
                    consumed = 1
            inv = False
            i += consumed

    def _module(self, i):
        """The -m module the option at @i belongs to."""
        for k in range(i - 1, -1, -1):
            if self.words[k] in ("-m", "--match") and k + 1 < len(self.words):
                return self.words[k + 1]
        return ""

    def __repr__(self):
        return "line %d" % self.line


def parse_rules(text):
    """The -A rules of a restore file, and the chain graph per table."""
    return [Rule(n, table, chain, i, words)
            for n, table, chain, i, _, words in
            kernlib.appends(text, split_words)]


def chain_hooks(rules):
    """{(table, chain): set of builtin hooks it is reached from}."""
    edges = {}
    for r in rules:
        if r.target and r.target not in BUILTIN_HOOKS:
            edges.setdefault((r.table, r.chain), set()).add(
                (r.table, r.target))
    hooks = {}
    for r in rules:
        if r.chain in BUILTIN_HOOKS:
            start = (r.table, r.chain)
            stack, seen = [start], {start}
            while stack:
                c = stack.pop()
                hooks.setdefault(c, set()).add(r.chain)
                for d in edges.get(c, ()):
                    if d not in seen:
                        seen.add(d)
                        stack.append(d)
    return hooks


# ------------------------------------------------------------- the values

class Values:
    """The values a ruleset tests: what random fields are drawn from."""

    def __init__(self, rules, ifnames=None, rng=None):
        self.rng = rng or random.Random(1)
        src, dst, ports, marks, ifs = set(), set(), set(DEFAULT_PORTS), \
            {0}, set()
        wild = set()
        for r in rules:
            for f, into in (("src", src), ("dst", dst)):
                if f in r.t:
                    for a in r.t[f][0]:
                        into.update(self._points(a))
            for f, into in (("srange", src), ("drange", dst)):
                if f in r.t and "-" in r.t[f][0]:
                    lo, hi = r.t[f][0].split("-", 1)
                    into.update([lo, hi])
            for f in ("dport", "sport", "ports"):
                if f in r.t:
                    for lo, hi in r.t[f][0]:
                        ports.update(p for p in (lo, hi, lo - 1, hi + 1,
                                                 (lo + hi) // 2)
                                     if 0 <= p <= 65535)
            if "mark" in r.t:
                v, m = r.t["mark"][0]
                marks.update({v, m & 0xffffffff, v ^ m, (v | 0x100) & m})
            for f in ("iif", "oif"):
                if f in r.t:
                    name = r.t[f][0]
                    if name.endswith("+"):
                        wild.add(name[:-1])
                    elif name != "lo":
                        ifs.add(name)
        for w in sorted(wild):
            if w and len(w) < 15:
                ifs.add(w + "9")
        self.src = sorted(src | set(DEFAULT_ADDRS), key=_addr_key)
        self.dst = sorted(dst | set(DEFAULT_ADDRS), key=_addr_key)
        self.ports = sorted(ports)
        self.marks = sorted(marks)
        self.ifnames = ifnames or (sorted(ifs)[:8] or ["eth0"])

    @staticmethod
    def _points(spec):
        try:
            net = ipaddress.ip_network(spec, strict=False)
        except ValueError:
            return []
        if net.version != 4:
            return []
        n, last = int(net.network_address), int(net.broadcast_address)
        pts = {n, last, (n + last) // 2, n + 1 if n < last else n,
               n - 1, last + 1}
        out = []
        for p in pts:
            if 0 < p < 0xe0000000 and (p >> 24) not in (0, 127):
                out.append(str(ipaddress.ip_address(p)))
        return out


def _addr_key(a):
    return int(ipaddress.ip_address(a))


# --------------------------------------------------------------- emissions

class Emission:
    __slots__ = ("path", "kind", "src", "dst", "proto", "sport", "dport",
                 "flags", "icmp", "dev", "mark", "frag", "odev")

    def __init__(self, **kw):
        for k in self.__slots__:
            setattr(self, k, kw.get(k))

    def __repr__(self):
        return "%s/%s %s->%s p%s %s:%s dev=%s mark=%s fl=%s" % (
            self.path, self.kind, self.src, self.dst, self.proto, self.sport,
            self.dport, self.dev, self.mark, self.flags)


def _in_net(addr, spec):
    try:
        return ipaddress.ip_address(addr) in ipaddress.ip_network(
            spec, strict=False)
    except ValueError:
        return False


def _in_range(addr, spec):
    lo, hi = spec.split("-", 1)
    a = _addr_key(addr)
    return _addr_key(lo) <= a <= _addr_key(hi)


def _pick_addr(rng, cands, pos):
    """An address in/out of the networks @pos=(list, inverted)."""
    nets, inv = pos
    good = [a for a in cands if any(_in_net(a, n) for n in nets) != inv]
    if good:
        return rng.choice(good)
    return rng.choice(cands)


def _pick_port(rng, cands, spec):
    ranges, inv = spec
    if not ranges:              # service names: not resolved here
        return rng.choice(cands)
    inside = [p for p in cands if any(lo <= p <= hi for lo, hi in ranges)]
    if not inv:
        if rng.random() < 0.5 or not inside:
            lo, hi = rng.choice(ranges)
            return rng.randint(lo, max(lo, hi))
        return rng.choice(inside)
    outside = [p for p in cands if p not in inside]
    return rng.choice(outside) if outside else rng.randint(0, 65535)


def _pick_if(rng, ifnames, spec, path):
    name, inv = spec
    if name.endswith("+"):
        match = [i for i in ifnames + ["lo"] if i.startswith(name[:-1])]
    else:
        match = [i for i in ifnames + ["lo"] if i == name]
    pool = match if not inv else [i for i in ifnames + ["lo"]
                                  if i not in match]
    return rng.choice(pool) if pool else rng.choice(ifnames)


def template(rule, path, vals, rng, ctstate_ok=True):
    """An Emission on @path that satisfies @rule's tests (as far as the
    lab can make one), other fields at random."""
    t = rule.t if rule else {}
    e = Emission(path=path, kind="raw")
    # protocol
    if "proto" in t:
        p, inv = t["proto"]
        e.proto = p if not inv else rng.choice([x for x in (6, 17, 1, 47)
                                                if x != p])
    elif any(f in t for f in ("dport", "sport", "ports", "flags")):
        e.proto = 6 if "flags" in t else rng.choice((6, 17))
    elif "icmp" in t:
        e.proto = 1
    else:
        e.proto = rng.choice((6, 6, 17, 17, 1, 47))
    if e.proto == 0:
        e.proto = rng.choice((6, 17, 1))
    # addresses
    e.src = _pick_addr(rng, vals.src, t["src"]) if "src" in t else \
        rng.choice(vals.src)
    e.dst = _pick_addr(rng, vals.dst, t["dst"]) if "dst" in t else \
        rng.choice(vals.dst)
    if "srange" in t:
        lo, hi = t["srange"][0].split("-", 1)
        if not t["srange"][1]:
            e.src = str(ipaddress.ip_address(rng.randint(_addr_key(lo),
                                                         _addr_key(hi))))
    if "drange" in t:
        lo, hi = t["drange"][0].split("-", 1)
        if not t["drange"][1]:
            e.dst = str(ipaddress.ip_address(rng.randint(_addr_key(lo),
                                                         _addr_key(hi))))
    # ports
    e.sport = _pick_port(rng, vals.ports, t["sport"]) if "sport" in t else \
        rng.choice(vals.ports + [40000 + rng.randint(0, 999)])
    e.dport = _pick_port(rng, vals.ports, t["dport"]) if "dport" in t else \
        rng.choice(vals.ports)
    if "ports" in t:
        if rng.random() < 0.5:
            e.dport = _pick_port(rng, vals.ports, t["ports"])
        else:
            e.sport = _pick_port(rng, vals.ports, t["ports"])
    # TCP flags
    if e.proto == 6:
        if "flags" in t:
            (mask, cmp_), inv = t["flags"]
            for _ in range(64):
                f = (cmp_ & mask) | (rng.randrange(256) & ~mask & 0x3f)
                if inv:
                    f = rng.randrange(64)
                if ((f & mask) == cmp_) != inv:
                    break
            e.flags = f
        else:
            e.flags = rng.choice((0x02, 0x02, 0x12, 0x10, 0x18, 0x11, 0x04,
                                  0x14, 0x00, 0x01, 0x03, 0x3f, 0x29))
    # ICMP
    if e.proto == 1:
        if "icmp" in t:
            name, inv = t["icmp"]
            spec = ICMP_TYPES.get(name)
            if "/" in name or name.isdigit():
                ty, _, co = name.partition("/")
                spec = (int(ty), int(co or 0), int(co) if co else 255)
            if spec is None:
                e.icmp = (rng.choice((8, 0, 3, 11)), 0)
            elif not inv:
                e.icmp = (spec[0], rng.randint(spec[1], min(spec[2], 15)))
            else:
                e.icmp = rng.choice([(x, 0) for x in (0, 3, 8, 11, 13)
                                     if x != spec[0]] or [(8, 0)])
        else:
            e.icmp = rng.choice(((8, 0), (8, 0), (0, 0), (3, 3), (11, 0)))
    # interfaces
    if path == "in":
        e.dev = _pick_if(rng, vals.ifnames, t["iif"], path) if "iif" in t \
            else rng.choice(vals.ifnames)
        if e.dev == "lo":
            e.path = "local"
    elif path == "out":
        e.dev = _pick_if(rng, vals.ifnames, t["oif"], path) if "oif" in t \
            else rng.choice(vals.ifnames)
        if e.dev == "lo":
            e.path = "local"
    if e.path == "local":
        e.dev = None
    # marks: the socket's mark on the dut's own packets
    if e.path in ("out", "local"):
        if "mark" in t:
            (v, m), inv = t["mark"]
            if not inv:
                e.mark = (v & m) | (rng.choice(vals.marks) & ~m & 0xffffffff)
            else:
                e.mark = rng.choice([x for x in vals.marks
                                     if (x & m) != v] or [v ^ m])
        else:
            e.mark = rng.choice(vals.marks)
    # fragments
    if "frag" in t and not t["frag"][1]:
        e.frag = True
    elif "frag" not in t and not any(f in t for f in (
            "dport", "sport", "ports", "flags", "icmp")) and \
            rng.random() < 0.05:
        e.frag = True           # a non-first fragment now and then
    # how: single packet or a flow for the state the rule wants
    states = None
    if "state" in t and ctstate_ok:
        s, inv = t["state"]
        states = sorted(s) if not inv else [x for x in STATES if x not in s]
    st = rng.choice(states) if states else rng.choice(
        ("NEW", "NEW", "NEW", "ESTABLISHED", "RELATED", "INVALID"))
    if e.frag:
        e.kind = "raw"
    elif st == "ESTABLISHED" and e.proto in (6, 17, 1):
        e.kind = "flow"
    elif st == "RELATED":
        e.kind = "related"
    elif st == "INVALID" and e.proto == 6:
        e.kind = "raw"
        e.flags = 0x03          # SYN+FIN: conntrack calls it INVALID
    else:
        e.kind = "raw"
        if e.proto == 6 and "flags" not in t and st == "NEW":
            e.flags = 0x02
    return e


def plan(rules, vals, rng, per_rule=4, spray=150):
    """Emissions for every rule of a reached chain, then a random spray."""
    hooks = chain_hooks(rules)
    out = []
    for r in rules:
        paths = set()
        for h in hooks.get((r.table, r.chain), ()):
            paths.update(HOOK_PATHS[h])
        for p in sorted(paths):
            for _ in range(per_rule):
                out.append(template(r, p, vals, rng))
    for _ in range(spray):
        out.append(template(None, rng.choice(("in", "in", "out", "local")),
                            vals, rng))
    return out


# ------------------------------------------------------------------ sending

def _l4(e, src, dst, flags=None):
    if e.proto == 6:
        return kernlib.tcp(src, dst, e.sport, e.dport,
                           e.flags if flags is None else flags)
    if e.proto == 17:
        return kernlib.udp(src, dst, e.sport, e.dport)
    if e.proto == 1:
        return kernlib.icmp(e.icmp[0], e.icmp[1])
    return b"\x00" * 16


def local_addrs(emissions):
    """The dut-local /32s the "local" emissions need."""
    return sorted({e.dst for e in emissions if e.path == "local"},
                  key=_addr_key)


def send(lab, e):
    """Put @e on the wire of @lab."""
    if e.path == "fwd":
        _send_fwd(lab, e)
        return
    if e.path == "in":
        side, dev = "peer", e.dev
    else:
        side, dev = "dut", e.dev
    if e.kind == "raw" or e.proto not in (6, 17, 1):
        if e.frag:
            pkt = kernlib.ip4(e.src, e.dst, e.proto, b"\x00" * 24,
                              frag=185)
        else:
            pkt = kernlib.ip4(e.src, e.dst, e.proto, _l4(e, e.src, e.dst))
        lab.raw(side, pkt, dev, e.mark if side == "dut" else None)
    elif e.path == "local":
        _send_local(lab, e)
    elif e.kind == "flow":
        if e.proto == 6:
            lab.tcp_connect(side, e.src, e.dst, e.sport or 40000,
                            e.dport or 80, dev,
                            e.mark if side == "dut" else None)
        elif e.proto == 17:
            lab.udp_flow(side, e.src, e.dst, e.sport or 40000,
                         e.dport or 53, dev, e.mark)
        else:
            lab.icmp_flow(side, e.src, e.dst, dev, e.mark)
    elif e.kind == "related":
        # The ICMP error (RELATED) travels the path of @e: the other side
        # sends the datagram it quotes.
        other = "dut" if side == "peer" else "peer"
        lab.udp_related(other, e.dst, e.src, e.dport or 53,
                        e.sport or 40000, dev, e.mark)


def _send_fwd(lab, e):
    """Through the dut: from the peer on @dev, out of the dut on @odev."""
    if e.kind == "raw" or e.proto not in (6, 17, 1):
        lab.forward_route(e.src, e.dst, e.dev, e.odev)
        if e.frag:
            pkt = kernlib.ip4(e.src, e.dst, e.proto, b"\x00" * 24, frag=185)
        else:
            pkt = kernlib.ip4(e.src, e.dst, e.proto, _l4(e, e.src, e.dst))
        lab.raw("peer", pkt, e.dev)
    elif e.kind == "flow" and e.proto == 6:
        lab.forward_route(e.src, e.dst, e.dev, e.odev)
        lab.tcp_connect("peer", e.src, e.dst, e.sport or 40000,
                        e.dport or 80, e.dev)
    elif e.kind == "flow" and e.proto == 17:
        lab.fwd_udp_flow(e.src, e.dst, e.sport or 40000, e.dport or 53,
                         e.dev, e.odev)
    elif e.kind == "flow":
        lab.fwd_icmp_flow(e.src, e.dst, e.dev, e.odev)
    else:
        lab.fwd_related(e.src, e.dst, e.sport or 40000, e.dport or 53,
                        e.dev, e.odev)


def _send_local(lab, e):
    """Flows from the dut to itself (both ends are the dut's)."""
    m = e.mark
    if e.kind == "flow" and e.proto == 6:
        lab.tcp_connect("dut", e.src, e.dst, e.sport or 40000, e.dport or 80,
                        None, m)
    elif e.kind == "flow" and e.proto == 17:
        lab.udp("dut", e.src, e.dst, e.sport, e.dport, None, m)
        lab.udp("dut", e.dst, e.src, e.dport, e.sport, None, m)
        lab.udp("dut", e.src, e.dst, e.sport, e.dport, None, m)
    elif e.kind == "flow":
        ident = 4242
        lab.icmp("dut", e.src, e.dst, 8, 0, None, m, ident, 1)
        lab.icmp("dut", e.dst, e.src, 0, 0, None, m, ident, 1)
        lab.icmp("dut", e.src, e.dst, 8, 0, None, m, ident, 2)
    else:                       # related
        inner = kernlib.ip4(e.dst, e.src, 17,
                            kernlib.udp(e.dst, e.src, e.dport, e.sport,
                                        b"iptlint"), ident=1)
        lab.udp("dut", e.dst, e.src, e.dport, e.sport, None, m)
        lab.icmp("dut", e.src, e.dst, 3, 3, None, m, 0, 0, inner[:28])


def flow_ports(emissions):
    """TCP ports to listen on: (dut ports, peer ports)."""
    dut, peer = set(), set()
    for e in emissions:
        if e.kind == "flow" and e.proto == 6:
            # the dut answers what comes in; the peer what goes out or
            # through
            (dut if e.path == "in" else peer).add(e.dport or 80)
            if e.path == "local":
                dut.add(e.dport or 80)
    return sorted(dut), sorted(peer)


def send_all(lab, emissions):
    """Send everything, grouped so that return routes change rarely."""
    dut_ports, peer_ports = flow_ports(emissions)
    lab.listen("dut", dut_ports)
    lab.listen("peer", peer_ports)
    order = sorted(range(len(emissions)),
                   key=lambda i: (emissions[i].kind != "raw",
                                  str(emissions[i].dev), i))
    for n, i in enumerate(order):
        send(lab, emissions[i])
        if len(lab.pending) >= 200:
            lab.settle(0)
    lab.settle(0.2)


def exercise(text, backend, key, tag, per_rule=4, spray=150):
    """Load @text into a fresh Lab and send it packets for every rule
    (plan(), seeded by @key). Returns (refusal or None, count, sent):
    count(line) is the packet counter of the rule on that input line."""
    rules = parse_rules(text)
    rng = random.Random(key)
    vals = Values(rules, rng=rng)
    emissions = plan(rules, vals, rng, per_rule=per_rule, spray=spray)
    with kernlib.Lab(tag, vals.ifnames, local_addrs(emissions)) as lab:
        rc, err = lab.load(text.encode(), backend)
        if rc != 0:
            return ("%s refuses: %s" % (backend, err.splitlines()[0]
                                         if err else rc)), None, 0
        lab.after_load()
        send_all(lab, emissions)
        counts, _ = lab.counters(backend)
        return None, kernlib.line_counter(kernlib.rule_lines(text),
                                          counts), lab.sent
