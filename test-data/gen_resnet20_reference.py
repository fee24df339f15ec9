#!/usr/bin/python3
"""A whole ResNet-20 from PyTorch for cs4j to reproduce: writes
test-data/fixtures/resnet20_reference.safetensors (read by cs4j.models.ResNet20PyTorchParityTest).

Run from anywhere with Debian's PyTorch (python3-torch, 1.13 tested):

    /usr/bin/python3 test-data/gen_resnet20_reference.py

The network is the ResNet-20 of the Continuous Sparsification reference code, with that
code's state_dict names: conv0, bn0, stage{1,2,3}.block{1,2,3}.{conv_a,bn_a,conv_b,bn_b},
stage{2,3}.block1.downsample (1x1 stride-2 conv, no bias, no BN), classifier = Linear(64, 10);
convs have no bias. 272,282 parameters.

What is exported (all float32; labels int64):

| name | what |
| --- | --- |
| `weights.<state_dict key>` | parameters and buffers before the step (num_batches_tracked as float) |
| `input.x`, `input.labels` | one batch: N x 3 x 32 x 32 standard normal images, labels in [0, 10) |
| `output.logits`, `output.loss` | training-mode forward, mean cross-entropy |
| `grad.<parameter key>` | d loss / d parameter |
| `state.<buffer key>` | running_mean, running_var, num_batches_tracked after the forward |

How: conv and linear weights are Xavier-normal as in the reference code. Batch-norm gamma/beta,
the running statistics, num_batches_tracked and the classifier bias are then moved away from
their initial values (1, 0, 0, 1, 0, 0), as after some training, so that a loader which skips any
tensor, or a running-statistics update that ignores the old value, cannot pass. The weights and
the batch are drawn as float32; the network then runs in float64 on exactly those values and the
results are rounded to float32, so the fixture is the correctly rounded answer and the test's
tolerances measure cs4j's own float32 error. The output is deterministic.
"""

import sys
from collections import OrderedDict
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_fixtures import OUT_DIR, save_safetensors  # noqa: E402

SEED = 20
BATCH = 8
CLASSES = 10
F32 = np.float32


class BasicBlock(nn.Module):
    """conv3x3-BN-ReLU-conv3x3-BN, plus the shortcut (identity or 1x1 stride-2 conv), then ReLU."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv_a = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn_a = nn.BatchNorm2d(cout)
        self.conv_b = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn_b = nn.BatchNorm2d(cout)
        reshapes = stride != 1 or cin != cout
        self.downsample = nn.Conv2d(cin, cout, 1, stride, 0, bias=False) if reshapes else None

    def forward(self, x):
        y = F.relu(self.bn_a(self.conv_a(x)))
        y = self.bn_b(self.conv_b(y))
        return F.relu(y + (x if self.downsample is None else self.downsample(x)))


class ResNet20(nn.Module):
    def __init__(self, classes=CLASSES):
        super().__init__()
        self.conv0 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn0 = nn.BatchNorm2d(16)
        cin = 16
        for s, (width, stride) in enumerate([(16, 1), (32, 2), (64, 2)], start=1):
            blocks = []
            for b in range(3):
                blocks.append((f"block{b + 1}", BasicBlock(cin, width, stride if b == 0 else 1)))
                cin = width
            setattr(self, f"stage{s}", nn.Sequential(OrderedDict(blocks)))
        self.classifier = nn.Linear(64, classes)

    def forward(self, x):
        y = F.relu(self.bn0(self.conv0(x)))
        y = self.stage3(self.stage2(self.stage1(y)))
        return self.classifier(torch.flatten(F.adaptive_avg_pool2d(y, 1), 1))


def initialise(model, gen):
    """Xavier-normal conv/linear weights, then every other tensor away from its default."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                m.weight.copy_(xavier_normal(m.weight.shape, gen))
            if isinstance(m, nn.Linear):
                m.bias.copy_(0.1 * torch.randn(m.bias.shape, generator=gen))
            if isinstance(m, nn.BatchNorm2d):
                c = m.num_features
                m.weight.copy_(1 + 0.2 * torch.randn(c, generator=gen))
                m.bias.copy_(0.1 * torch.randn(c, generator=gen))
                m.running_mean.copy_(0.1 * torch.randn(c, generator=gen))
                m.running_var.copy_(0.5 + torch.rand(c, generator=gen))
                m.num_batches_tracked.fill_(5)


def xavier_normal(shape, gen):
    """nn.init.xavier_normal_ (gain 1) drawn from gen, which torch 1.13's initialisers cannot
    take: N(0, 2 / (fan_in + fan_out)), fan_in = C*R*S and fan_out = K*R*S for [K, C, R, S]."""
    receptive = int(np.prod(shape[2:])) if len(shape) > 2 else 1
    fan_in, fan_out = shape[1] * receptive, shape[0] * receptive
    return torch.randn(shape, generator=gen) * (2.0 / (fan_in + fan_out)) ** 0.5


def main():
    gen = torch.Generator().manual_seed(SEED)
    model = ResNet20()
    initialise(model, gen)
    x = torch.randn(BATCH, 3, 32, 32, generator=gen)  # float32
    labels = torch.randint(0, CLASSES, (BATCH,), generator=gen)

    tensors = {"weights." + k: export(v) for k, v in model.state_dict().items()}
    params = sum(p.numel() for p in model.parameters())
    assert params == 272_282, params

    model.double().train()
    logits = model(x.double())
    loss = F.cross_entropy(logits, labels)
    loss.backward()

    tensors["input.x"] = x.numpy()
    tensors["input.labels"] = labels.numpy().astype(np.int64)
    tensors["output.logits"] = export(logits)
    tensors["output.loss"] = export(loss)
    for k, p in model.named_parameters():
        tensors["grad." + k] = export(p.grad)
    for k, b in model.named_buffers():
        tensors["state." + k] = export(b)

    meta = {"model": "resnet20", "torch": torch.__version__,
            "generator": "test-data/gen_resnet20_reference.py",
            "params": '{"momentum": 0.1, "eps": 1e-05}'}
    path = OUT_DIR / "resnet20_reference.safetensors"
    save_safetensors(path, tensors, meta)
    print(f"wrote {path}: {len(tensors)} tensors, {params} parameters, "
          f"{path.stat().st_size / 1e6:.2f} MB, loss {loss.item():.6f}")


def export(t):
    """float32 numpy copy of a tensor (num_batches_tracked included)."""
    return t.detach().double().numpy().astype(F32)


if __name__ == "__main__":
    main()
