#!/usr/bin/env python3
"""Writes CIFAR-shaped data in the real `cifar-10-batches-bin` layout, for GPU runs of the protocol.

CIFAR-10 itself cannot be downloaded on the GPU machine (no network). This writes the same files:
data_batch_1.bin .. data_batch_5.bin (10,000 records each) and test_batch.bin (10,000), where a
record is 1 label byte then 3072 pixel bytes (1024 red, 1024 green, 1024 blue, row-major 32x32), as
cs4j.data.Cifar10 reads them. The images are learnable, not noise: each class has its own mean
colour shift and a faint class-dependent oriented stripe pattern under strong per-image noise, so
a network learns them over epochs (an MLP on 5,000 images reaches about two thirds in two
epochs, not 100%) while the tensors have CIFAR's shapes and pixel ranges.

Usage: python3 make_cifar_like.py OUT_DIR [--seed N]   (writes OUT_DIR/cifar-10-batches-bin/)
Needs numpy (the GPU machine has it beside PyTorch).
"""
import os
import sys

import numpy as np


def images(rng, n, labels):
    yy, xx = np.mgrid[0:32, 0:32].astype(np.float32)
    out = np.empty((n, 3, 32, 32), dtype=np.float32)
    for c in range(10):
        idx = np.nonzero(labels == c)[0]
        angle = np.pi * c / 10
        stripes = np.sin((np.cos(angle) * xx + np.sin(angle) * yy) * (0.4 + 0.05 * c))
        colour = np.array([(c * 37) % 256, (c * 91) % 256, (c * 53) % 256], dtype=np.float32)
        base = colour[:, None, None] * 0.08 + 10 * stripes[None]
        out[idx] = base[None] + rng.normal(0, 60, size=(len(idx), 3, 32, 32))
    return np.clip(out + 110, 0, 255).astype(np.uint8)


def write(path, rng, n):
    labels = rng.integers(0, 10, size=n).astype(np.uint8)
    pixels = images(rng, n, labels).reshape(n, 3072)
    records = np.concatenate([labels[:, None], pixels], axis=1)
    with open(path, "wb") as f:
        f.write(records.tobytes())


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 1
    out = os.path.join(sys.argv[1], "cifar-10-batches-bin")
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(seed)
    for k in range(1, 6):
        write(os.path.join(out, f"data_batch_{k}.bin"), rng, 10000)
    write(os.path.join(out, "test_batch.bin"), rng, 10000)
    print(f"wrote 50,000 training and 10,000 test images to {out}")


if __name__ == "__main__":
    main()
