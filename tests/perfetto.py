# SPDX-License-Identifier: GPL-2.0-only
# A --perfetto timeline as a reader needs it: valid JSON, every B closed,
# slices nested on each CPU track, each flow with a tail and a head inside a
# slice. Usage: perfetto.py FILE [EVENT-NAME...] (names that must appear).
import json, sys
from decimal import Decimal as D
d = json.load(open(sys.argv[1]), parse_float=D)
ev = d["traceEvents"]
err = []
# B/E balance per track
depth = {}
for e in sorted((e for e in ev if e["ph"] in "BE"), key=lambda e: (e["tid"], D(e["ts"]))):
    depth[e["tid"]] = depth.get(e["tid"], 0) + (1 if e["ph"] == "B" else -1)
    if depth[e["tid"]] < 0:
        err.append("E without B on tid %d" % e["tid"])
err += ["unclosed B on tid %d" % t for t, n in depth.items() if n]
# slices (X and B/E pairs) nest on each track
sl = {}
stack = {}
for e in sorted((e for e in ev if e["ph"] in "XBE"), key=lambda e: D(e["ts"])):
    t = e["tid"]
    if e["ph"] == "X":
        sl.setdefault(t, []).append((D(e["ts"]), D(e["ts"]) + D(e["dur"]), e["name"]))
    elif e["ph"] == "B":
        stack.setdefault(t, []).append(D(e["ts"]))
    else:
        b = stack[t].pop()
        sl.setdefault(t, []).append((b, D(e["ts"]), "B/E"))
for t, ss in sl.items():
    ss.sort(key=lambda s: (s[0], -s[1]))
    open_ = []
    for s in ss:
        while open_ and open_[-1][1] <= s[0]:
            open_.pop()
        if open_ and s[1] > open_[-1][1]:
            err.append("tid %d: %s [%s,%s] overlaps %s [%s,%s]" % (t, s[2], s[0], s[1], open_[-1][2], open_[-1][0], open_[-1][1]))
        open_.append(s)
# flows: each id has a tail and a head, each inside a slice on its track
fl = {}
for e in ev:
    if e["ph"] in "sf":
        fl.setdefault(e["id"], {})[e["ph"]] = e
for i, p in fl.items():
    if set(p) != {"s", "f"}:
        err.append("flow %s lacks an end" % i)
    for e in p.values():
        ts = D(e["ts"])
        if not any(a <= ts <= b for a, b, _ in sl.get(e["tid"], [])):
            err.append("flow %s end %s on tid %d outside any slice" % (i, e["ph"], e["tid"]))
for e in err[:10]:
    print(e)
names = {e.get("name") for e in ev}
for want in sys.argv[2:]:
    if want not in names:
        print("no event named %r" % want); err.append(want)
sys.exit(1 if err else 0)
