#!/usr/bin/python3
"""PyTorch reference run of Continuous Sparsification ticket search, the authors' reference code's
algorithm, on a tiny network, written to test-data/fixtures/cs_reference.safetensors for
src/test/java/cs4j/sparsity/CsReferenceTest.java.

    /usr/bin/python3 test-data/gen_cs_reference.py

Deterministic (fixed seed, float32 CPU, fixed batch order): rerunning rewrites an identical file.

The network (state-dict names as in the Java test's TinyNet):
    x [N, 1, 4, 4] -> conv (1->4, 3x3, pad 1, no bias) -> bn (4) -> relu -> flatten (64)
    -> fc (64 -> 3, bias)
Masked layers: conv.weight and fc.weight (LayerSelection.CONVS_AND_LINEAR).

Data: 32 training and 16 test images of random bytes, normalised as byte/255 (mean 0, std 1),
labels a fixed function of the pixels so there is something to learn. Batches of 8 in dataset
order (no shuffle), so one epoch is 4 steps.

Protocol (the reference code's, with tiny sizes): R = 2 rounds of E = 4 epochs; SGD lr 0.1, momentum 0.9,
Nesterov, weight decay 1e-4 for the weights, the same without weight decay for the mask logits;
LR x0.1 from epoch 3; beta_e = 200^(e/(E-1)); s0 = 0, c = 1/sigmoid(s0) = 2; lambda = LAMBDA;
snapshot of all weights and BN statistics at the start of epoch 1 of round 0; soft reset
s <- min(s, s0) (the reference code's rule) between rounds; ticket m = 1[s > 0] after the last
round, rewound to the snapshot and retrained for E epochs with M = c*m and a fresh optimiser.

Stored (float32 unless noted):
    init.<name>           the initial state dict (num_batches_tracked as float)
    train.x, test.x       uint8 images [N, 1, 4, 4]; train.y, test.y labels (float)
    ce.round<r>           cross-entropy of every training step of search round r [16]
    penalty.round<r>      lambda * sum M of every step [16]
    s.round<r>.<layer>    mask logits at the end of round r's training (before any reset)
    mask.round<r>.<layer> 1[s > 0] after round r
    state.round<r>.<name> the state dict at the end of round r's training
    rewind.<name>         the snapshot
    ce.retrain            cross-entropy of every step of the ticket retraining [16]
    ticket.<name>         the state dict after retraining
    ticket.test_correct   test images the retrained ticket classifies correctly (scalar)
Metadata: the hyperparameters above and min_abs_s (smallest |s| of any mask entry at a round end:
the margin by which the masks are decided).
"""

import json
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_fixtures import save_safetensors  # noqa: E402

OUT = Path(__file__).resolve().parent / "fixtures" / "cs_reference.safetensors"
E, R, BATCH, REWIND_EPOCH = 4, 2, 8, 1
LR, MOMENTUM, WD, MILESTONE, GAMMA = 0.1, 0.9, 1e-4, 3, 0.1
S0, BETA_FINAL, LAMBDA = 0.0, 200.0, 0.005
MASKED = ["conv", "fc"]


def make_data(rng, n):
    x = rng.integers(0, 256, size=(n, 1, 4, 4), dtype=np.uint8)
    f = x.reshape(n, 16).astype(np.int64)
    y = np.stack([f[:, 0:5].sum(1), f[:, 5:10].sum(1), f[:, 10:15].sum(1)]).argmax(0)
    return x, y


def init_state(gen):
    return {
        "conv.weight": torch.randn(4, 1, 3, 3, generator=gen) * (2.0 / (9 + 36)) ** 0.5,
        "bn.weight": torch.ones(4),
        "bn.bias": torch.zeros(4),
        "bn.running_mean": torch.zeros(4),
        "bn.running_var": torch.ones(4),
        "bn.num_batches_tracked": torch.zeros(()),
        "fc.weight": torch.randn(3, 64, generator=gen) * (2.0 / (64 + 3)) ** 0.5,
        "fc.bias": torch.zeros(3),
    }


class Net:
    """Functional tiny net over a dict of tensors (the state dict)."""

    PARAMS = ["conv.weight", "bn.weight", "bn.bias", "fc.weight", "fc.bias"]

    def __init__(self, state):
        self.t = {k: v.clone() for k, v in state.items()}
        for k in self.PARAMS:
            self.t[k].requires_grad_(True)

    def forward(self, x, w_conv, w_fc, train):
        t = self.t
        y = F.conv2d(x, w_conv, None, 1, 1)
        if train:
            t["bn.num_batches_tracked"] += 1
        y = F.batch_norm(y, t["bn.running_mean"], t["bn.running_var"], t["bn.weight"],
                         t["bn.bias"], training=train, momentum=0.1, eps=1e-5)
        y = F.relu(y).flatten(1)
        return F.linear(y, w_fc, t["fc.bias"])

    def snapshot(self):
        return {k: v.detach().clone() for k, v in self.t.items()}

    def load(self, state):
        with torch.no_grad():
            for k, v in state.items():
                self.t[k].copy_(v)


def sgd(params, decay):
    return torch.optim.SGD(params, lr=LR, momentum=MOMENTUM, nesterov=True, weight_decay=decay)


def set_lr(opts, epoch):
    for o in opts:
        for g in o.param_groups:
            g["lr"] = LR * (GAMMA if epoch >= MILESTONE else 1.0)


def batches(x, y):
    for i in range(0, len(x), BATCH):
        yield x[i:i + BATCH], y[i:i + BATCH]


def main():
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1234)
    rng = np.random.default_rng(1234)
    train_x, train_y = make_data(rng, 32)
    test_x, test_y = make_data(rng, 16)
    xs = torch.from_numpy(train_x).float() / 255.0
    ys = torch.from_numpy(train_y)
    txs = torch.from_numpy(test_x).float() / 255.0
    tys = torch.from_numpy(test_y)

    init = init_state(gen)
    out = {f"init.{k}": v.numpy().astype(np.float32) for k, v in init.items()}
    out.update({"train.x": train_x, "train.y": train_y.astype(np.float32),
                "test.x": test_x, "test.y": test_y.astype(np.float32)})

    net = Net(init)
    c = 1.0 / (1.0 / (1.0 + np.exp(-S0)))
    s = {n: torch.full_like(net.t[f"{n}.weight"], S0).requires_grad_(True) for n in MASKED}
    opt_w = sgd([net.t[k] for k in Net.PARAMS], WD)
    opt_s = sgd([s[n] for n in MASKED], 0.0)
    rewind, min_abs_s = None, float("inf")
    for r in range(R):
        ces, pens = [], []
        for e in range(E):
            beta = BETA_FINAL ** (e / (E - 1))
            if r == 0 and e == REWIND_EPOCH:
                rewind = net.snapshot()
            set_lr([opt_w, opt_s], e)
            for bx, by in batches(xs, ys):
                m = {n: c * torch.sigmoid(beta * s[n]) for n in MASKED}
                logits = net.forward(bx, net.t["conv.weight"] * m["conv"],
                                     net.t["fc.weight"] * m["fc"], True)
                ce = F.cross_entropy(logits, by)
                pen = LAMBDA * m["conv"].sum() + LAMBDA * m["fc"].sum()
                loss = ce + pen
                opt_w.zero_grad()
                opt_s.zero_grad()
                loss.backward()
                opt_w.step()
                opt_s.step()
                ces.append(ce.item())
                pens.append(pen.item())
        out[f"ce.round{r}"] = np.array(ces, np.float32)
        out[f"penalty.round{r}"] = np.array(pens, np.float32)
        for n in MASKED:
            sv = s[n].detach().numpy().copy()
            out[f"s.round{r}.{n}"] = sv
            out[f"mask.round{r}.{n}"] = (sv > 0).astype(np.float32)
            min_abs_s = min(min_abs_s, float(np.abs(sv).min()))
        for k, v in net.snapshot().items():
            out[f"state.round{r}.{k}"] = v.numpy().astype(np.float32)
        kept = sum(float(out[f"mask.round{r}.{n}"].sum()) for n in MASKED)
        print(f"round {r}: remaining {kept / sum(s[n].numel() for n in MASKED):.3f}"
              f" ce {ces[0]:.4f} -> {ces[-1]:.4f}")
        if r < R - 1:
            with torch.no_grad():
                for n in MASKED:
                    s[n].clamp_(max=S0)
    for k, v in rewind.items():
        out[f"rewind.{k}"] = v.numpy().astype(np.float32)

    ticket = {n: c * (s[n].detach() > 0).float() for n in MASKED}
    fresh = Net(init)
    fresh.load(rewind)
    opt = sgd([fresh.t[k] for k in Net.PARAMS], WD)
    ces = []
    for e in range(E):
        set_lr([opt], e)
        for bx, by in batches(xs, ys):
            logits = fresh.forward(bx, fresh.t["conv.weight"] * ticket["conv"],
                                   fresh.t["fc.weight"] * ticket["fc"], True)
            ce = F.cross_entropy(logits, by)
            opt.zero_grad()
            ce.backward()
            opt.step()
            ces.append(ce.item())
    out["ce.retrain"] = np.array(ces, np.float32)
    for k, v in fresh.snapshot().items():
        out[f"ticket.{k}"] = v.numpy().astype(np.float32)
    with torch.no_grad():
        logits = fresh.forward(txs, fresh.t["conv.weight"] * ticket["conv"],
                               fresh.t["fc.weight"] * ticket["fc"], False)
        correct = int((logits.argmax(1) == tys).sum())
    out["ticket.test_correct"] = np.array(correct, np.float32)
    print(f"retrain ce {ces[0]:.4f} -> {ces[-1]:.4f}, test {correct}/16, min |s| {min_abs_s:.2e}")

    params = {"epochs": E, "rounds": R, "batch": BATCH, "rewind_epoch": REWIND_EPOCH, "lr": LR,
              "momentum": MOMENTUM, "weight_decay": WD, "milestone": MILESTONE, "gamma": GAMMA,
              "s0": S0, "beta_final": BETA_FINAL, "lambda": LAMBDA}
    meta = {"generator": "test-data/gen_cs_reference.py", "torch": torch.__version__,
            "params": json.dumps(params), "min_abs_s": repr(min_abs_s)}
    save_safetensors(OUT, out, meta)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
