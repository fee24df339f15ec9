#!/usr/bin/python3
"""Writes test-data/fashion-mnist-subset/: a small, stratified, real subset of Fashion-MNIST.

Picks PER_CLASS_TRAIN images of each class from the training set and PER_CLASS_TEST from the test
set with a fixed seed, keeps them in their original order, and writes the four files in the real
IDX format, gzip-compressed with mtime 0 so that reruns give identical bytes.

Usage: /usr/bin/python3 test-data/make_fashion_subset.py [SOURCE_DIR]
SOURCE_DIR defaults to the OS package location (package dataset-fashion-mnist).
"""
import gzip
import os
import random
import struct
import sys

SOURCE_DEFAULT = "/usr/share/datasets/fashion-mnist"
PER_CLASS_TRAIN = 600
PER_CLASS_TEST = 100
SEED = 20200601
CLASSES = 10
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fashion-mnist-subset")


def read_idx(path, magic):
    with gzip.open(path, "rb") as f:
        data = f.read()
    found, = struct.unpack(">I", data[:4])
    if found != magic:
        raise ValueError(f"{path}: magic 0x{found:08x}, expected 0x{magic:08x}")
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return dims, data[4 + 4 * ndim:]


def write_idx(path, magic, dims, payload):
    header = struct.pack(">I" + "I" * len(dims), magic, *dims)
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
            f.write(header + payload)


def subset(source, prefix, per_class, rng):
    (n, rows, cols), pixels = read_idx(os.path.join(source, prefix + "-images-idx3-ubyte.gz"), 0x803)
    (n_labels,), labels = read_idx(os.path.join(source, prefix + "-labels-idx1-ubyte.gz"), 0x801)
    assert n == n_labels, (n, n_labels)
    by_class = [[i for i in range(n) if labels[i] == c] for c in range(CLASSES)]
    chosen = []
    for members in by_class:
        rng.shuffle(members)
        chosen.extend(members[:per_class])
    chosen.sort()
    size = rows * cols
    out_pixels = b"".join(pixels[i * size:(i + 1) * size] for i in chosen)
    out_labels = bytes(labels[i] for i in chosen)
    write_idx(os.path.join(OUT, prefix + "-images-idx3-ubyte.gz"), 0x803, (len(chosen), rows, cols), out_pixels)
    write_idx(os.path.join(OUT, prefix + "-labels-idx1-ubyte.gz"), 0x801, (len(chosen),), out_labels)
    print(f"{prefix}: {len(chosen)} images ({per_class} per class) from {n}")


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else SOURCE_DEFAULT
    os.makedirs(OUT, exist_ok=True)
    rng = random.Random(SEED)
    subset(source, "train", PER_CLASS_TRAIN, rng)
    subset(source, "t10k", PER_CLASS_TEST, rng)


if __name__ == "__main__":
    main()
