#!/usr/bin/env python3
"""cs4j and the PyTorch CPU anchor side by side, on the training-step and inference workloads.

Runs JMH's TrainStepBenchmark (--workload train) or InferenceBenchmark (--workload infer) from
target/benchmarks.jar (built by `mvn -B -Pbench -DskipTests package`) for each model, plain and
CS-masked, then the same in PyTorch through the anchor (`train_bench` or `infer_bench` of
../shared/anchors/torch_anchor.py, or --anchor PATH) on the same thread count, and prints one table:
cs4j's median JMH iteration (fastest; mean ± 99.9 % interval), PyTorch median (min-max), and two
ratios: median to median, and fastest to fastest (the steadier one on a noisy machine). Medians,
not JMH's mean: the first measured iterations of a VGG-16 step can still run 1.2–1.8× the rest. When /usr/bin/python3 has no torch (Debian:
apt-get install -y python3-torch) the PyTorch columns say so and only cs4j runs.

    python3 benchmarks/side_by_side.py [--workload train|infer] [--models resnet20-a,vgg16]
                                       [--batch 128] [--threads 2]

Standard library only; run from the repository root. Both sides vary on a shared machine: repeat,
and compare ratios only within one run of this script.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

# cs4j model name -> the anchor's MODELS key
ANCHOR_NAMES = {'resnet20-a': 'ResNet-20', 'vgg16': 'VGG-16'}
TORCH_PYTHON = '/usr/bin/python3'

# workload -> (JMH benchmark class, the anchor's function)
WORKLOADS = {'train': ('TrainStepBenchmark', 'train_bench'),
             'infer': ('InferenceBenchmark', 'infer_bench')}

# Runs inside TORCH_PYTHON: imports the anchor from a path and prints the workload's results as JSON.
ANCHOR_DRIVER = r'''
import importlib.util, json, sys
path, threads, bench, runs = sys.argv[1], int(sys.argv[2]), sys.argv[3], json.loads(sys.argv[4])
spec = importlib.util.spec_from_file_location("torch_anchor", path)
anchor = importlib.util.module_from_spec(spec)
spec.loader.exec_module(anchor)
anchor.MAX_ATTEMPTS = 1  # report the foreign load instead of re-timing up to 3 times
anchor.torch.set_num_threads(threads)
out = [getattr(anchor, bench)(name, masked, batch, warmup, steps)
       for name, masked, batch, warmup, steps in runs]
print(json.dumps(out))
'''


def parse_args():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--workload', default='train', choices=sorted(WORKLOADS),
                    help='train: one SGD step; infer: one eval-mode forward without gradients')
    ap.add_argument('--models', default='resnet20-a', help='comma-separated: resnet20-a, vgg16')
    ap.add_argument('--batch', type=int, default=128)
    ap.add_argument('--threads', type=int, default=2, help='cs4j threads and torch threads')
    ap.add_argument('--jar', default=os.path.join(here, '..', 'target', 'benchmarks.jar'))
    ap.add_argument('--anchor',
                    default=os.path.join(here, '..', '..', 'shared', 'anchors', 'torch_anchor.py'))
    ap.add_argument('--steps', type=int, default=10, help='PyTorch timed steps (after 3 warm-up)')
    ap.add_argument('--jmh', default='', help='extra JMH options, e.g. "-i 3 -wi 2"')
    return ap.parse_args()


def run_cs4j(args, models):
    """{(model, masked): (mean ms, 99.9% error ms, median and fastest iteration ms)}, one JMH run."""
    with tempfile.NamedTemporaryFile(suffix='.json', delete=False) as f:
        out = f.name
    cmd = ['java', '-jar', args.jar, WORKLOADS[args.workload][0],
           '-p', 'model=' + ','.join(models), '-p', 'batch=%d' % args.batch,
           '-jvmArgsAppend', '-Dcs4j.threads=%d' % args.threads,
           '-rf', 'json', '-rff', out] + args.jmh.split()
    print('$ ' + ' '.join(cmd), flush=True)
    subprocess.run(cmd, check=True)
    with open(out) as f:
        rows = json.load(f)
    os.unlink(out)
    res = {}
    for r in rows:
        p = r['params']
        m = r['primaryMetric']
        raw = [x for fork in m['rawData'] for x in fork]
        res[(p['model'], p['masked'] == 'true')] = (
            m['score'], m['scoreError'], statistics.median(raw), min(raw))
    return res


def torch_missing():
    """None when TORCH_PYTHON imports torch, else why not."""
    if not os.path.exists(TORCH_PYTHON):
        return TORCH_PYTHON + ' not found'
    probe = subprocess.run([TORCH_PYTHON, '-c', 'import torch'], capture_output=True)
    return None if probe.returncode == 0 else 'python3-torch is not installed'


def run_torch(args, models):
    """{(model, masked): anchor result dict}, or a string saying why PyTorch did not run."""
    why = torch_missing()
    if why is None and not os.path.exists(args.anchor):
        why = 'anchor not found at ' + args.anchor
    if why is not None:
        return why
    keys = [(m, masked) for m in models for masked in (False, True)]
    runs = [(ANCHOR_NAMES[m], masked, args.batch, 3, args.steps) for m, masked in keys]
    print('$ %s <anchor driver> %s' % (TORCH_PYTHON, args.anchor), flush=True)
    done = subprocess.run([TORCH_PYTHON, '-c', ANCHOR_DRIVER, args.anchor, str(args.threads),
                           WORKLOADS[args.workload][1], json.dumps(runs)],
                          check=True, capture_output=True, text=True)
    return dict(zip(keys, json.loads(done.stdout.strip().splitlines()[-1])))


def main():
    args = parse_args()
    models = args.models.split(',')
    unknown = [m for m in models if m not in ANCHOR_NAMES]
    if unknown:
        sys.exit('unknown model(s) %s; known: %s' % (unknown, ', '.join(ANCHOR_NAMES)))
    cs4j = run_cs4j(args, models)
    torch = run_torch(args, models)
    what = 'training step' if args.workload == 'train' else 'inference (eval, no gradients)'
    print('\n%s, batch %d, %d thread(s) each side' % (what, args.batch, args.threads))
    if isinstance(torch, str):
        print('PyTorch anchor NOT RUN: %s (apt-get install -y python3-torch)' % torch)
    hdr = '%-11s %-7s | %-30s | %-30s | %s' % (
        'model', 'variant', 'cs4j ms median (min); mean', 'PyTorch ms median (min-max)',
        'cs4j/PyTorch: median, min/min')
    print(hdr)
    print('-' * len(hdr))
    for m in models:
        for masked in (False, True):
            mean, err, median, best = cs4j[(m, masked)]
            mine = '%.1f (%.1f); %.1f ± %.1f' % (median, best, mean, err)
            theirs, ratio = 'not run', ''
            if not isinstance(torch, str):
                t = torch[(m, masked)]
                med = 1e3 * t['median']
                theirs = '%.1f (%.1f-%.1f) other %.0f%%' % (
                    med, 1e3 * t['min'], 1e3 * t['max'], t.get('other_pct', float('nan')))
                ratio = '%.2f×, %.2f×' % (median / med, best / (1e3 * t['min']))
            print('%-11s %-7s | %-30s | %-30s | %s' % (
                m, 'masked' if masked else 'plain', mine, theirs, ratio))


if __name__ == '__main__':
    main()
