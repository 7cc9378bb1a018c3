#!/usr/bin/env python3
"""Write the README's performance tables and the chart of ratios to raw
syscalls from the benches' own output:

    cargo test --release -p biosock-benches --features openssl,ci --test instructions
    cargo bench -p biosock-benches --features openssl --bench interleaved
    cargo bench -p biosock-benches --features openssl --bench addr
    pip install matplotlib   # once, for the chart
    python3 scripts/bench_report.py

Reads target/tmp/instructions.json (callgrind counts), target/interleaved.json
(interleaved time ratios) and target/criterion/*/*/new/*.json (the address
benches), rewrites the part of README.md between <!-- bench:start --> and
<!-- bench:end -->, and writes docs/bench-ratios.png.
"""
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CRITERION = ROOT / "target" / "criterion"
PEERS = ["raw", "biosock C", "biosock Socket", "std::net", "socket2", "OpenSSL libcrypto"]
INSTR_PEERS = ["raw", "biosock C", "biosock Socket", "std", "socket2", "OpenSSL"]


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


def table(first, rows, peers, cell):
    """A markdown table: one row per (name, cells), one column per peer;
    cell(peer, value) formats a value, a missing one is a dash."""
    head = f"| {first} | " + " | ".join(peers) + " |\n|---|" + "---:|" * len(peers) + "\n"
    lines = [f"| `{name}` | " + " | ".join("–" if cells.get(p) is None else cell(p, cells[p]) for p in peers) + " |"
             for name, cells in rows.items()]
    return head + "\n".join(lines) + "\n"


def instructions_table(counts):
    def cell(_, c):
        return f"{c['instructions']:,}" + (f" ({c['allocations']} alloc)" if c["allocations"] else "")
    return table("operation", counts, INSTR_PEERS, cell)


def interleaved_table(groups):
    present = [p for p in PEERS if any(p in g for g in groups.values())]

    def cell(p, v):
        return fmt_ns(v["ns"]) if p == "raw" else f"{v['ratio']:.2f}× ({v['p10']:.2f}–{v['p90']:.2f})"
    return table("group", groups, present, cell)


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
    names = [g for g in data if "raw" in data[g]]
    peers = [p for p in PEERS if p != "raw" and any(p in data[g] for g in names)]
    fig, ax = plt.subplots(figsize=(11, 4.2), dpi=100)
    width = 0.8 / len(peers)
    for i, p in enumerate(peers):
        xs = [j + i * width for j in range(len(names))]
        ys = [data[g][p]["ratio"] if p in data[g] else float("nan") for g in names]
        ax.bar(xs, ys, width, label=p)
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_xticks([j + 0.4 - width / 2 for j in range(len(names))])
    ax.set_xticklabels(names, rotation=30, ha="right")
    ax.set_ylabel("median of per-round time / raw")
    ax.set_ylim(0.6, min(3.0, max(1.3, ax.get_ylim()[1])))
    ax.set_title("biosock and its peers, relative to raw syscalls (lower is better)")
    ax.legend(ncol=3, fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    print(f"wrote {path.relative_to(ROOT)}")


def main():
    target = ROOT / "target"
    try:
        counts = json.loads((target / "tmp" / "instructions.json").read_text())
        groups = json.loads((target / "interleaved.json").read_text())
    except FileNotFoundError as e:
        sys.exit(f"{e.filename} missing: run the benches first (see this script's doc)")
    data = load()
    body = ("\nInstructions per operation (callgrind, userspace, exact):\n\n" + instructions_table(counts)
            + "\nInterleaved time: raw's median per operation, and each implementation's median ratio to raw "
            "over the rounds, with its 10th–90th percentile spread:\n\n" + interleaved_table(groups)
            + "\n" + addr_table(data) + "\n")
    readme = ROOT / "README.md"
    text = readme.read_text()
    new = re.sub(r"(<!-- bench:start -->).*?(<!-- bench:end -->)", lambda m: m.group(1) + body + m.group(2),
                 text, flags=re.S)
    readme.write_text(new)
    print(body)
    chart(groups, ROOT / "docs" / "bench-ratios.png")


if __name__ == "__main__":
    main()
