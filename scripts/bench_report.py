#!/usr/bin/env python3
"""Turn criterion's JSON output into the README's performance tables and a
PNG bar chart of the ratios to raw syscalls.

    cargo bench --features openssl --bench sockets
    cargo bench --features openssl --bench addr
    pip install matplotlib   # once, for the chart
    python3 scripts/bench_report.py

Reads target/criterion/*/*/new/{benchmark,estimates}.json, rewrites the part
of README.md between <!-- bench:start --> and <!-- bench:end -->, and writes
docs/bench-ratios.png.
"""
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CRITERION = ROOT / "target" / "criterion"
PEERS = ["raw", "biosock C", "biosock Socket", "std::net", "socket2", "OpenSSL libcrypto"]
SOCKET_GROUPS = [f"{op}-{fam}" for fam in ("v4", "v6", "unix") for op in ("connect", "accept", "cycle")]


def load():
    """{group: {function: median_ns}}"""
    out = {}
    for bench in CRITERION.glob("*/*/new/benchmark.json"):
        meta = json.loads(bench.read_text())
        est = json.loads((bench.parent / "estimates.json").read_text())
        group = meta["group_id"]
        name = meta.get("function_id") or meta.get("value_str")
        out.setdefault(group, {})[name] = est["median"]["point_estimate"]
    return out


def fmt_ns(ns):
    return f"{ns / 1000:.2f} µs" if ns >= 1000 else f"{ns:.1f} ns"


def socket_table(data):
    present = [p for p in PEERS if any(p in data.get(g, {}) for g in SOCKET_GROUPS)]
    head = "| group | " + " | ".join(present) + " |\n|---|" + "---:|" * len(present) + "\n"
    rows = []
    for g in SOCKET_GROUPS:
        if g not in data:
            continue
        raw = data[g].get("raw")
        cells = []
        for p in present:
            v = data[g].get(p)
            if v is None:
                cells.append("–")
            elif raw:
                cells.append(f"{fmt_ns(v)} ({v / raw:.2f}×)")
            else:
                cells.append(fmt_ns(v))
        rows.append(f"| `{g}` | " + " | ".join(cells) + " |")
    return head + "\n".join(rows) + "\n"


def addr_table(data):
    rows = []
    for g in ("addr", "parse_hostserv", "lookup_numeric"):
        for name, v in sorted(data.get(g, {}).items()):
            rows.append(f"| `{g}/{name}` | {fmt_ns(v)} |")
    return "| benchmark | median |\n|---|---:|\n" + "\n".join(rows) + "\n"


def chart(data, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib missing (pip install matplotlib): chart not written", file=sys.stderr)
        return
    groups = [g for g in SOCKET_GROUPS if g in data and "raw" in data[g]]
    peers = [p for p in PEERS if p != "raw" and any(p in data[g] for g in groups)]
    fig, ax = plt.subplots(figsize=(11, 4.2), dpi=100)
    width = 0.8 / len(peers)
    for i, p in enumerate(peers):
        xs = [j + i * width for j in range(len(groups))]
        ys = [data[g].get(p, float("nan")) / data[g]["raw"] for g in groups]
        ax.bar(xs, ys, width, label=p)
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_xticks([j + 0.4 - width / 2 for j in range(len(groups))])
    ax.set_xticklabels(groups, rotation=30, ha="right")
    ax.set_ylabel("median time / raw syscalls")
    ax.set_ylim(0.8, max(1.3, ax.get_ylim()[1]))
    ax.set_title("biosock and its peers, relative to raw syscalls (lower is better)")
    ax.legend(ncol=3, fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    print(f"wrote {path.relative_to(ROOT)}")


def main():
    data = load()
    if not data:
        sys.exit("no criterion results under target/criterion: run the benches first")
    body = "\n" + socket_table(data) + "\n" + addr_table(data) + "\n"
    readme = ROOT / "README.md"
    text = readme.read_text()
    new = re.sub(r"(<!-- bench:start -->).*?(<!-- bench:end -->)", lambda m: m.group(1) + body + m.group(2),
                 text, flags=re.S)
    readme.write_text(new)
    print(body)
    chart(data, ROOT / "docs" / "bench-ratios.png")


if __name__ == "__main__":
    main()
