#!/usr/bin/env python3
"""Compares two cs4j run directories of the same command, e.g. on the CPU and on the GPU.

For each round: stage, % of weights remaining and test accuracy side by side, and how many mask
entries differ (masks.safetensors, read here with a minimal safetensors reader: an 8-byte header
length, a JSON header, then the raw little-endian tensors). Prints a short table.

Usage: python3 compare_runs.py RUN_A RUN_B
"""
import json
import os
import struct
import sys


def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        lo, hi = e["data_offsets"]
        fmt = {"F32": "f", "I64": "q"}[e["dtype"]]
        size = struct.calcsize(fmt)
        out[name] = struct.unpack("<%d%s" % ((hi - lo) // size, fmt), data[lo:hi])
    return out


def rounds(run):
    found = []
    for d in sorted(os.listdir(run)):
        if d.startswith("round") and os.path.isfile(os.path.join(run, d, "result.json")):
            found.append(d)
    return sorted(found, key=lambda d: int(d[5:]))


def main():
    a, b = sys.argv[1], sys.argv[2]
    print(f"{'round':<8} {'stage':<8} {'% remaining A':>14} {'% remaining B':>14} "
          f"{'acc A':>8} {'acc B':>8} {'mask entries differing':>24}")
    for r in rounds(a):
        ra = json.load(open(os.path.join(a, r, "result.json")))
        rb_path = os.path.join(b, r, "result.json")
        if not os.path.exists(rb_path):
            print(f"{r:<8} missing in {b}")
            continue
        rb = json.load(open(rb_path))
        diff = "-"
        ma, mb = os.path.join(a, r, "masks.safetensors"), os.path.join(b, r, "masks.safetensors")
        if os.path.exists(ma) and os.path.exists(mb):
            ta, tb = read_safetensors(ma), read_safetensors(mb)
            total = sum(len(v) for v in ta.values())
            n = sum(x != y for k in ta for x, y in zip(ta[k], tb[k]))
            diff = f"{n} of {total}"
        print(f"{r:<8} {ra['stage']:<8} {100 * ra['fraction_remaining']:>13.2f}% "
              f"{100 * rb['fraction_remaining']:>13.2f}% {100 * ra['test_acc']:>7.2f}% "
              f"{100 * rb['test_acc']:>7.2f}% {diff:>24}")


if __name__ == "__main__":
    main()
