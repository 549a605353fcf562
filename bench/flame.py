#!/usr/bin/env python3
"""bench/flame.py: a flame graph (SVG) of ncpd under one of the bench's loads.

    python3 bench/flame.py [lookup|list100|create|stopstart] [OUT.svg]

Starts the release build (build-release/ncpd, `make release-build`) on a fresh
SQLite database with 1000 servers, runs wrk with the bench's signed request at
BENCH_FLAME_CONNS connections (default 32) for BENCH_FLAME_SECONDS (default 8),
records ncpd with `perf record --call-graph dwarf` meanwhile, folds the stacks
of `perf script` and draws them as an SVG flame graph (widths are shares of the
samples, each frame's tooltip gives its count and share). Kernel frames are
shown when perf may read them (root). Needs linux-perf (Debian: linux-perf).
"""
import collections
import html
import os
import subprocess
import sys
import tempfile
import threading
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as B  # noqa: E402

CONNS = int(os.environ.get("BENCH_FLAME_CONNS", "32"))
SECONDS = int(os.environ.get("BENCH_FLAME_SECONDS", "8"))


def fold(script_text):
    """perf script output -> Counter of 'root;...;leaf' stacks."""
    stacks = collections.Counter()
    frames = []
    comm = None
    for line in script_text.splitlines() + [""]:
        if not line.strip():
            if comm is not None:
                path = [comm] + [f for f in reversed(frames)]
                stacks[";".join(path)] += 1
            comm, frames = None, []
            continue
        if not line[0].isspace():
            comm = line.split()[0]
            continue
        parts = line.strip().split(None, 1)
        if len(parts) < 2:
            continue
        sym = parts[1]
        dso = ""
        if sym.endswith(")") and " (" in sym:
            sym, dso = sym.rsplit(" (", 1)
            dso = os.path.basename(dso[:-1])
        if sym.startswith("[unknown]"):
            sym = "[%s]" % (dso or "unknown")
        sym = sym.split("+0x")[0]
        frames.append(sym)
    return stacks


def svg(stacks, title, width=1200, row=16):
    total = sum(stacks.values()) or 1
    root = {"n": 0, "kids": collections.OrderedDict()}
    for path, n in sorted(stacks.items()):
        node = root
        node["n"] += n
        for f in path.split(";"):
            node = node["kids"].setdefault(f, {"n": 0, "kids": collections.OrderedDict()})
            node["n"] += n
    depth = [0]

    def measure(node, d):
        depth[0] = max(depth[0], d)
        for k in node["kids"].values():
            measure(k, d + 1)

    measure(root, 0)
    height = (depth[0] + 3) * row
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="monospace" font-size="11">' % (width, height),
           '<rect width="100%%" height="100%%" fill="#fdfdf6"/>',
           '<text x="%d" y="14" text-anchor="middle" font-size="13">%s (%d samples)</text>'
           % (width // 2, html.escape(title), total)]
    scale = (width - 20) / total

    def draw(node, name, x, d):
        w = node["n"] * scale
        if w < 0.3:
            return
        y = height - (d + 1) * row
        hue = zlib.crc32(name.encode()) % 60
        share = 100.0 * node["n"] / total
        out.append('<g><title>%s: %d samples (%.2f%%)</title><rect x="%.2f" y="%d" width="%.2f" '
                   'height="%d" fill="hsl(%d,85%%,%d%%)" stroke="#fdfdf6" stroke-width="0.5"/>'
                   % (html.escape(name), node["n"], share, x, y, w, row - 1, hue + 5,
                      55 + (zlib.crc32(name.encode()) >> 8) % 15))
        chars = int(w / 6.6)
        if chars >= 3:
            label = name if len(name) <= chars else name[:chars - 2] + ".."
            out.append('<text x="%.2f" y="%d">%s</text>' % (x + 2, y + row - 4, html.escape(label)))
        out.append('</g>')
        cx = x
        for k, child in node["kids"].items():
            draw(child, k, cx, d + 1)
            cx += child["n"] * scale

    cx = 10.0
    for k, child in root["kids"].items():
        draw(child, k, cx, 0)
        cx += child["n"] * scale
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    what = sys.argv[1] if len(sys.argv) > 1 else "lookup"
    out_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        B.ROOT, "bench", "flame-%s.svg" % what)
    tmp = tempfile.mkdtemp(prefix="ncpd-flame-")
    d = B.Ncpd(os.path.join(tmp, "flame.db"), step_ms=0)
    try:
        nos = B.create_servers(d, 1000)
        url = "http://127.0.0.1:%d/server/v2/" % d.port
        if what == "lookup":
            action, body = "getServerInstanceList", "serverInstanceNoList.1=%s" % nos[0]
        elif what == "list100":
            action = "getServerInstanceList"
            body = "&".join("serverInstanceNoList.%d=%s" % (i + 1, n)
                            for i, n in enumerate(nos[:100]))
        elif what == "create":
            action = "createServerInstances"
            body = "responseFormatType=json&serverImageProductCode=SPSW0LINUX000046"
        elif what == "stopstart":
            action, body = "stopServerInstances", None
        else:
            raise SystemExit("flame.py: lookup, list100, create or stopstart")
        data = os.path.join(tmp, "perf.data")
        res = {}
        if body is None:  # stop/start laps over distinct servers, as in run.py
            ts = B.now_ms()
            args = ["stopstart", B.AK, ts, B.sign("POST", "/server/v2/stopServerInstances", ts),
                    B.sign("POST", "/server/v2/startServerInstances", ts), str(nos[0]),
                    str(len(nos)), str(min(2, CONNS))]
        else:
            args = B.fixed_args(action, body)
        t = threading.Thread(target=lambda: res.update(
            B.wrk(url + action, CONNS, args, seconds=SECONDS + 2)))
        t.start()
        subprocess.run(["perf", "record", "-q", "-F", "499", "--call-graph", "dwarf,16384",
                        "-p", str(d.p.pid), "-o", data, "--", "sleep", str(SECONDS)],
                       check=True, stdout=subprocess.DEVNULL)
        t.join()
        text = subprocess.run(["perf", "script", "-i", data, "-F", "comm,ip,sym,dso"],
                              capture_output=True, text=True, check=True).stdout
    finally:
        d.stop()
    stacks = fold(text)
    title = "ncpd, %s at %d connections, %d s, %.0f req/s" % (what, CONNS, SECONDS,
                                                               res.get("rps", 0.0))
    with open(out_path, "w") as f:
        f.write(svg(stacks, title))
    B.log("wrote %s (%d samples, %d distinct stacks)" % (out_path, sum(stacks.values()),
                                                          len(stacks)))


if __name__ == "__main__":
    main()
