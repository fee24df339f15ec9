#!/usr/bin/env python3
"""The masked ResNet-20 training step of cs4j's GPU benchmark, in eager PyTorch, for comparison.

Same workload as cs4j.testing.MaskedResNet20 (the registry's resnet20-a): ResNet-20 with option-A
shortcuts, a Continuous Sparsification mask w * c*sigmoid(beta*s) on all 19 convolutions and the
classifier, loss = cross-entropy + lambda * sum c*sigmoid(beta*s), SGD with Nesterov momentum 0.9
(weight decay 1e-4 on weights, BN and bias; none on mask logits), batch 128, loss read every step.

Usage: python3 torch_step.py          (prints one line per mode; needs a CUDA build of PyTorch)
       python3 torch_step.py --cpu    (two steps on the CPU: a smoke test of this script)
"""
import sys
import time

import torch
import torch.nn.functional as F

BATCH, BETA, C, LAMBDA = 128, 1.0, 2.0, 1e-8


def build(device, gen):
    def xavier(*shape):
        fan_in = shape[1] * (shape[2] * shape[3] if len(shape) == 4 else 1)
        fan_out = shape[0] * (shape[2] * shape[3] if len(shape) == 4 else 1)
        std = (2.0 / (fan_in + fan_out)) ** 0.5
        return (torch.randn(*shape, generator=gen) * std).to(device).requires_grad_()

    convs, masks, bns = [], [], []

    def conv(k, c):
        w = xavier(k, c, 3, 3)
        convs.append(w)
        masks.append((torch.rand(w.shape, generator=gen) - 0.5).to(device).requires_grad_())
        bns.append([torch.ones(k, device=device, requires_grad=True),
                    torch.zeros(k, device=device, requires_grad=True),
                    torch.zeros(k, device=device), torch.ones(k, device=device)])

    conv(16, 3)
    for stage in range(3):
        ch = 16 << stage
        for block in range(3):
            conv(ch, ch // 2 if block == 0 and stage > 0 else ch)
            conv(ch, ch)
    fc = xavier(10, 64)
    masks.append((torch.rand(fc.shape, generator=gen) - 0.5).to(device).requires_grad_())
    fc_bias = torch.zeros(10, device=device, requires_grad=True)
    return convs + [fc], masks, bns, fc_bias


def loss_fn(x, y, weights, masks, bns, fc_bias):
    penalties = []

    def masked(i):
        m = C * torch.sigmoid(BETA * masks[i])
        penalties.append(LAMBDA * m.sum())
        return weights[i] * m

    def conv_bn(h, i, stride):
        h = F.conv2d(h, masked(i), stride=stride, padding=1)
        g, b, rm, rv = bns[i]
        return F.batch_norm(h, rm, rv, g, b, training=True, momentum=0.1, eps=1e-5)

    layer = 0
    h = F.relu(conv_bn(x, 0, 1))
    layer = 1
    for stage in range(3):
        for block in range(3):
            stride = 2 if block == 0 and stage > 0 else 1
            o = F.relu(conv_bn(h, layer, stride))
            o = conv_bn(o, layer + 1, 1)
            layer += 2
            if stride == 2:
                sc = h[:, :, ::2, ::2]
                pad = (o.shape[1] - sc.shape[1]) // 2
                sc = F.pad(sc, (0, 0, 0, 0, pad, pad))
            else:
                sc = h
            h = F.relu(o + sc)
    logits = F.linear(h.mean(dim=(2, 3)), masked(layer), fc_bias)
    return F.cross_entropy(logits, y) + sum(penalties)


def run(mode, device, warmup=5, steps=30):
    strict = mode == "fp32 strict"
    torch.backends.cudnn.allow_tf32 = not strict
    torch.backends.cuda.matmul.allow_tf32 = not strict
    torch.backends.cudnn.benchmark = True
    gen = torch.Generator().manual_seed(3)
    weights, masks, bns, fc_bias = build(device, gen)
    decayed = weights + [p for b in bns for p in b[:2]] + [fc_bias]
    opt = torch.optim.SGD([{"params": decayed, "weight_decay": 1e-4},
                           {"params": masks, "weight_decay": 0.0}],
                          lr=0.1, momentum=0.9, nesterov=True)
    x = (torch.rand(BATCH, 3, 32, 32, generator=gen) * 2 - 1).to(device)
    y = torch.randint(0, 10, (BATCH,), generator=gen).to(device)
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    for s in range(warmup + steps):
        if s == warmup:
            sync()
            start = time.perf_counter()
        loss = loss_fn(x, y, weights, masks, bns, fc_bias)
        value = loss.item()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    sync()
    ms = (time.perf_counter() - start) * 1e3 / steps
    name = torch.cuda.get_device_name() if device.type == "cuda" else "cpu"
    print(f"PyTorch {torch.__version__} eager, {mode}: masked ResNet-20 step, batch {BATCH}: "
          f"{ms:.2f} ms/step, {BATCH / ms * 1e3:.0f} images/s ({name}); last loss {value:.4f}")


if __name__ == "__main__":
    if "--cpu" in sys.argv:
        run("fp32 strict", torch.device("cpu"), warmup=1, steps=1)
    else:
        for m in ("fp32 strict", "PyTorch defaults (cuDNN TF32 allowed)"):
            run(m, torch.device("cuda"))
