#!/usr/bin/python3
"""PyTorch reference fixtures for cs4j's ops: writes test-data/fixtures/*.safetensors.

Run from anywhere with Debian's PyTorch (python3-torch, 1.13 tested):

    /usr/bin/python3 test-data/gen_fixtures.py

The output is deterministic (fixed seeds, no threading effects: the reference is computed in
float64), so rerunning it rewrites identical files. See test-data/README.md for the file layout.

How a fixture is made
---------------------
* Every random input is drawn from SplitMix64 ("recipe" below) as float32 values, then the op runs
  in float64 on those exact values and the results are rounded to float32. The fixtures therefore
  hold the correctly rounded answer, and a test tolerance measures cs4j's own float32 error only.
* Upstream gradients ``gout.*`` are random too, so a backward that ignores or mis-scales its
  incoming gradient cannot pass. Gradients are those of L = sum over outputs of <gout, output>.
* Size: inputs of RECIPE_MIN elements or more are not stored; the metadata holds their recipe and
  the test regenerates them bit for bit. Results of more than SAMPLE_MAX elements are stored at
  SAMPLE_COUNT random positions (plus the indices). Everything else is stored whole.
"""

import json
import os
import struct
import zlib
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

OUT_DIR = Path(__file__).resolve().parent / "fixtures"
RECIPE_MIN = 16384
SAMPLE_MAX = 65536
SAMPLE_COUNT = 4096

F32 = np.float32


# ---- deterministic inputs ---------------------------------------------------------------------


def splitmix_uniform(seed, shape, lo, hi):
    """The i-th value (i = 1, 2, ...) is lo + (hi - lo) * u_i in float32 arithmetic, with
    u_i = (mix(seed + i * GAMMA) >> 40) * 2^-24 and mix the SplitMix64 finaliser. Fixtures.java
    implements the same recipe; both sides get identical bits."""
    n = int(np.prod(shape, dtype=np.int64))
    gamma = np.uint64(0x9E3779B97F4A7C15)
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + np.arange(1, n + 1, dtype=np.uint64) * gamma
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    u = (z >> np.uint64(40)).astype(F32) * F32(2.0**-24)
    lo, hi = F32(lo), F32(hi)
    return (lo + (hi - lo) * u).astype(F32).reshape(shape)


def f32(v):
    """A Python float holding exactly the float32 nearest v (what cs4j receives as a float)."""
    return float(F32(v))


class Fixture:
    """Collects one case's tensors and metadata, then writes one safetensors file."""

    def __init__(self, name, op, **params):
        self.name = name
        self.tensors = {}
        self.meta = {"op": op, "params": json.dumps(params), "torch": torch.__version__,
                     "generator": "test-data/gen_fixtures.py"}

    def random(self, key, shape, lo=-1.0, hi=1.0):
        """A random float32 input, returned as a float64 torch tensor (exactly the same values)."""
        seed = zlib.crc32(f"{self.name}/{key}".encode())
        a = splitmix_uniform(seed, shape, lo, hi)
        if a.size >= RECIPE_MIN:
            self.meta["recipe." + key] = json.dumps(
                {"dist": "splitmix64_uniform", "seed": seed, "lo": f32(lo), "hi": f32(hi),
                 "shape": list(shape)})
        else:
            self.tensors[key] = a
        return torch.from_numpy(a).double()

    def store(self, key, t):
        """A result (float64 tensor) rounded to float32; large ones are sampled."""
        a = t.detach().numpy().astype(F32)
        if a.size > SAMPLE_MAX:
            rng = np.random.default_rng(zlib.crc32(f"{self.name}/{key}/sample".encode()))
            idx = np.sort(rng.choice(a.size, SAMPLE_COUNT, replace=False)).astype(np.int32)
            self.tensors[key] = a.reshape(-1)[idx]
            self.tensors[key + ".index"] = idx
            self.meta["sampled." + key] = json.dumps(list(a.shape))
        else:
            self.tensors[key] = a

    def store_int(self, key, t):
        self.tensors[key] = t.numpy().astype(np.int64)

    def write(self):
        save_safetensors(OUT_DIR / f"{self.name}.safetensors", self.tensors, self.meta)


def run_case(fx, outputs, inputs, state=None):
    """Backpropagates random gout.* through outputs (name -> tensor) and stores outputs,
    gout, the gradients of inputs (name -> leaf tensor) and state (name -> tensor)."""
    gouts = [fx.random("gout." + k, tuple(y.shape), -1.0, 1.0) for k, y in outputs.items()]
    torch.autograd.backward(list(outputs.values()), gouts)
    for k, y in outputs.items():
        fx.store("output." + k, y)
    for k, x in inputs.items():
        fx.store("grad." + k, x.grad)
    for k, v in (state or {}).items():
        fx.store("state." + k, v)
    fx.write()


def leaf(t):
    return t.requires_grad_(True)


# ---- the cases --------------------------------------------------------------------------------


def elementwise_cases():
    shape = (2, 16, 8, 8)
    for op, fn, arity in [("add", torch.add, 2), ("mul", torch.mul, 2),
                          ("relu", F.relu, 1), ("sigmoid", torch.sigmoid, 1)]:
        fx = Fixture(op, op)
        xs = {k: leaf(fx.random("input." + k, shape, -3.0, 3.0)) for k in "ab"[:arity]}
        run_case(fx, {"y": fn(*xs.values())}, xs)
    for op, fn in [("sum", torch.sum), ("mean", torch.mean)]:
        fx = Fixture(op, op)
        x = leaf(fx.random("input.a", (4, 16, 8, 8)))
        run_case(fx, {"y": fn(x)}, {"a": x})


def shape_cases():
    fx = Fixture("flatten", "flatten")
    x = leaf(fx.random("input.a", (2, 64, 4, 4)))
    run_case(fx, {"y": torch.flatten(x, 1)}, {"a": x})
    fx = Fixture("reshape", "reshape", dims=[4, -1, 8])
    x = leaf(fx.random("input.a", (2, 16, 4, 4)))
    run_case(fx, {"y": x.reshape(4, -1, 8)}, {"a": x})


def linear_cases():
    fx = Fixture("matmul", "matmul")
    a, b = leaf(fx.random("input.a", (8, 64))), leaf(fx.random("input.b", (64, 10)))
    run_case(fx, {"y": a @ b}, {"a": a, "b": b})
    # The ResNet classifier (64 -> 10) and LeNet-300-100's first layer (784 -> 300).
    for name, n, f_in, f_out, bias in [("linear_resnet_classifier", 4, 64, 10, True),
                                       ("linear_lenet_784_300", 2, 784, 300, True),
                                       ("linear_nobias", 3, 20, 7, False)]:
        fx = Fixture(name, "linear")
        bound = 1.0 / np.sqrt(f_in)
        x = leaf(fx.random("input.x", (n, f_in)))
        w = leaf(fx.random("input.w", (f_out, f_in), -bound, bound))
        ins = {"x": x, "w": w}
        if bias:
            ins["b"] = leaf(fx.random("input.b", (f_out,), -bound, bound))
        run_case(fx, {"y": F.linear(x, w, ins.get("b"))}, ins)


CONV_CASES = [
    # name,                     N, C,   K,   H,  W,  kernel, stride, pad, bias
    ("conv_resnet_stem",          2, 3,   16,  32, 32, 3, 1, 1, False),
    ("conv_resnet_16_16",         2, 16,  16,  32, 32, 3, 1, 1, False),
    ("conv_resnet_16_32_s2",      2, 16,  32,  32, 32, 3, 2, 1, False),
    ("conv_resnet_32_64_s2",      2, 32,  64,  16, 16, 3, 2, 1, False),
    ("conv_resnet_64_64",         2, 64,  64,  8,  8,  3, 1, 1, False),
    ("conv_resnet_downsample",    2, 16,  32,  32, 32, 1, 2, 0, False),
    ("conv_vgg_256_256",          2, 256, 256, 8,  8,  3, 1, 1, True),
    ("conv_vgg_512_512",          2, 512, 512, 2,  2,  3, 1, 1, True),
    ("conv_odd_k3_s2_p0",         3, 5,   6,   9,  11, 3, 2, 0, True),
    ("conv_k1_s1_bias",           2, 8,   4,   5,  5,  1, 1, 0, True),
]


def conv_cases():
    for name, n, c, k, h, w, ks, stride, pad, bias in CONV_CASES:
        fx = Fixture(name, "conv2d", stride=stride, padding=pad)
        bound = 1.0 / np.sqrt(c * ks * ks)
        x = leaf(fx.random("input.x", (n, c, h, w)))
        wt = leaf(fx.random("input.w", (k, c, ks, ks), -bound, bound))
        ins = {"x": x, "w": wt}
        if bias:
            ins["b"] = leaf(fx.random("input.b", (k,), -bound, bound))
        y = F.conv2d(x, wt, ins.get("b"), stride=stride, padding=pad)
        run_case(fx, {"y": y}, ins)


BN_MOMENTUM = f32(0.1)
BN_EPS = f32(1e-5)


def bn_inputs(fx, prefix, c):
    """gamma, beta (leaves) and running mean/var (plain tensors) for c channels."""
    gamma = leaf(fx.random(prefix + "weight", (c,), 0.5, 1.5))
    beta = leaf(fx.random(prefix + "bias", (c,), -0.5, 0.5))
    mean = fx.random(prefix + "running_mean", (c,), -0.5, 0.5)
    var = fx.random(prefix + "running_var", (c,), 0.5, 2.0)
    return gamma, beta, mean, var


def batchnorm_cases():
    for name, shape, training in [("batchnorm_train_16x32x32", (2, 16, 32, 32), True),
                                  ("batchnorm_train_64x8x8", (4, 64, 8, 8), True),
                                  ("batchnorm_train_2d", (8, 10), True),
                                  ("batchnorm_eval_64x8x8", (4, 64, 8, 8), False)]:
        fx = Fixture(name, "batchnorm", training=training, momentum=BN_MOMENTUM, eps=BN_EPS)
        # Shifted and scaled input so that batch statistics are far from (0, 1).
        x = leaf(fx.random("input.x", shape, -1.0, 3.0))
        gamma, beta, mean, var = bn_inputs(fx, "input.", shape[1])
        y = F.batch_norm(x, mean, var, gamma, beta, training=training,
                         momentum=BN_MOMENTUM, eps=BN_EPS)  # updates mean, var in place
        run_case(fx, {"y": y}, {"x": x, "weight": gamma, "bias": beta},
                 state={"running_mean": mean, "running_var": var})


def pool_cases():
    for name, op, shape, kernel, stride, pad in [
        ("maxpool_2x2_s2", "maxpool2d", (2, 64, 8, 8), 2, 2, 0),
        ("maxpool_3x3_s2_p1", "maxpool2d", (2, 8, 15, 15), 3, 2, 1),
        ("avgpool_2x2_s2", "avgpool2d", (2, 64, 8, 8), 2, 2, 0),
        ("avgpool_3x3_s1_p1", "avgpool2d", (2, 8, 7, 7), 3, 1, 1),
    ]:
        fx = Fixture(name, op, kernel=kernel, stride=stride, padding=pad)
        x = leaf(fx.random("input.x", shape))
        if op == "maxpool2d":
            y = F.max_pool2d(x, kernel, stride, pad)
        else:  # count_include_pad=True (PyTorch's default) is cs4j's divisor too
            y = F.avg_pool2d(x, kernel, stride, pad)
        run_case(fx, {"y": y}, {"x": x})
    fx = Fixture("global_avgpool", "global_avgpool")
    x = leaf(fx.random("input.x", (2, 64, 8, 8)))
    run_case(fx, {"y": torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)}, {"x": x})


def shortcut_a(x, planes):
    """The option-A shortcut of the CIFAR ResNet papers: subsample by 2, zero-pad channels."""
    pad = (planes - x.shape[1]) // 2
    return F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, pad, pad))


def shortcut_cases():
    for name, shape, planes in [("shortcut_a_16_32", (2, 16, 32, 32), 32),
                                ("shortcut_a_32_64", (2, 32, 16, 16), 64),
                                ("shortcut_a_odd", (2, 4, 7, 5), 8)]:
        fx = Fixture(name, "shortcut_a", out_channels=planes)
        x = leaf(fx.random("input.x", shape))
        run_case(fx, {"y": shortcut_a(x, planes)}, {"x": x})


def cross_entropy_cases():
    for name, n, k, scale in [("cross_entropy", 8, 10, 3.0),
                              ("cross_entropy_large_logits", 6, 10, 80.0)]:
        fx = Fixture(name, "cross_entropy")
        logits = leaf(fx.random("input.logits", (n, k), -scale, scale))
        rng = np.random.default_rng(zlib.crc32(f"{name}/labels".encode()))
        labels = torch.from_numpy(rng.integers(0, k, n, dtype=np.int64))
        fx.store_int("input.labels", labels)
        run_case(fx, {"loss": F.cross_entropy(logits, labels)}, {"logits": logits})


def masked_weight_cases():
    """w_eff = w * c*sigmoid(beta*s), penalty = lam * sum(c*sigmoid(beta*s)) (the CS masked weight)."""
    s0, beta, lam = 0.05, f32(3.7), f32(1e-2)
    c = f32(1.0 / (1.0 / (1.0 + np.exp(-s0))))
    fx = Fixture("masked_weight", "masked_weight", beta=beta, c=c, **{"lambda": lam})
    w = leaf(fx.random("input.w", (16, 16, 3, 3), -0.2, 0.2))
    s = leaf(fx.random("input.s", (16, 16, 3, 3), s0 - 0.6, s0 + 0.6))
    mask = c * torch.sigmoid(beta * s)
    run_case(fx, {"w_eff": w * mask, "penalty": lam * mask.sum()}, {"w": w, "s": s})


def basic_block_cases():
    """conv3x3-bn-relu-conv3x3-bn (+ shortcut) -relu, training mode, as in the CIFAR ResNets.
    The downsampling block's shortcut is the reference code's plain 1x1 stride-2 conv."""
    for name, n, c, k, hw, stride in [("resnet_block_identity", 2, 16, 16, 32, 1),
                                      ("resnet_block_downsample", 2, 16, 32, 32, 2)]:
        fx = Fixture(name, "resnet_block", stride=stride, momentum=BN_MOMENTUM, eps=BN_EPS)
        x = leaf(fx.random("input.x", (n, c, hw, hw)))
        ins = {"x": x}
        ins["conv1.weight"] = leaf(fx.random("input.conv1.weight", (k, c, 3, 3), -0.2, 0.2))
        g1, b1, m1, v1 = bn_inputs(fx, "input.bn1.", k)
        ins["conv2.weight"] = leaf(fx.random("input.conv2.weight", (k, k, 3, 3), -0.1, 0.1))
        g2, b2, m2, v2 = bn_inputs(fx, "input.bn2.", k)
        ins.update({"bn1.weight": g1, "bn1.bias": b1, "bn2.weight": g2, "bn2.bias": b2})

        h = F.conv2d(x, ins["conv1.weight"], stride=stride, padding=1)
        h = F.relu(F.batch_norm(h, m1, v1, g1, b1, True, BN_MOMENTUM, BN_EPS))
        h = F.conv2d(h, ins["conv2.weight"], stride=1, padding=1)
        h = F.batch_norm(h, m2, v2, g2, b2, True, BN_MOMENTUM, BN_EPS)
        if stride == 1:
            shortcut = x
        else:
            ins["downsample.weight"] = leaf(
                fx.random("input.downsample.weight", (k, c, 1, 1), -0.25, 0.25))
            shortcut = F.conv2d(x, ins["downsample.weight"], stride=stride)
        y = F.relu(h + shortcut)
        state = {"bn1.running_mean": m1, "bn1.running_var": v1,
                 "bn2.running_mean": m2, "bn2.running_var": v2}
        run_case(fx, {"y": y}, ins, state)


def safetensors_dtype_case():
    """Every dtype the Java reader converts, with the float32 values it must produce, plus a
    scalar, an empty tensor and metadata that needs JSON escapes."""
    f64 = np.array([0.1, -1e-3, 3.141592653589793, 1e30, 2.0**-30], dtype=np.float64)
    i64 = np.array([0, -7, 2**24, 2**24 + 1, -(2**40)], dtype=np.int64)
    i32 = np.array([[1, -2, 3], [2**31 - 1, -(2**31), 16777217]], dtype=np.int32)
    u8 = np.array([0, 1, 127, 255], dtype=np.uint8)
    bools = np.array([[True, False], [False, True]], dtype=np.bool_)
    tensors = {"f64": f64, "i64": i64, "i32": i32, "u8": u8, "bool": bools,
               "scalar": np.array(2.5, dtype=F32), "empty": np.zeros((0, 3), dtype=F32)}
    for k in ["f64", "i64", "i32", "u8", "bool"]:
        tensors[k + ".expected"] = tensors[k].astype(F32)  # numpy rounds to nearest, like Java
    meta = {"quote\"backslash\\": "line\nbreak\ttab", "unicode": "\u03b2 = 3.7 \u2713"}
    save_safetensors(OUT_DIR / "safetensors_dtypes.safetensors", tensors, meta)


# ---- safetensors writer (the format is simple; no dependency needed) ---------------------------

DTYPES = {np.dtype(np.float32): "F32", np.dtype(np.float64): "F64", np.dtype(np.int64): "I64",
          np.dtype(np.int32): "I32", np.dtype(np.uint8): "U8", np.dtype(np.bool_): "BOOL"}


def save_safetensors(path, tensors, metadata):
    """As the reference implementation writes: names sorted, data contiguous in that order,
    compact JSON header padded with spaces to a multiple of 8 bytes; atomic rename."""
    header = {"__metadata__": metadata} if metadata else {}
    blobs, offset = [], 0
    for name in sorted(tensors):
        a = np.asarray(tensors[name], order="C")  # keeps 0-d arrays 0-d
        blob = a.astype(a.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": DTYPES[a.dtype], "shape": list(a.shape),
                        "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    head += b" " * (-len(head) % 8)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for blob in blobs:
            f.write(blob)
    os.replace(tmp, path)


def written_by_this_script(path):
    """True for op fixtures (their metadata names an op); other generators' files are kept."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
    return "op" in header.get("__metadata__", {}) or path.name == "safetensors_dtypes.safetensors"


def main():
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for old in OUT_DIR.glob("*.safetensors"):
        if written_by_this_script(old):
            old.unlink()
    for make in [elementwise_cases, shape_cases, linear_cases, conv_cases, batchnorm_cases,
                 pool_cases, shortcut_cases, cross_entropy_cases, masked_weight_cases,
                 basic_block_cases, safetensors_dtype_case]:
        make()
    files = sorted(OUT_DIR.glob("*.safetensors"))
    total = sum(f.stat().st_size for f in files)
    print(f"wrote {len(files)} fixtures, {total / 1e6:.2f} MB, to {OUT_DIR}")


if __name__ == "__main__":
    main()
