#!/usr/bin/python3
"""PyTorch side of the masked-op benchmark (MaskedWeightBenchmark): only the anchor's masked-op
micro benchmark (section [3] of torch_anchor.py) and a copy_ ceiling at the same sizes, so it runs
in about a minute next to the JMH run.

    /usr/bin/python3 benchmarks/torch_masked_anchor.py [--anchor DIR] [--json out.json]

DIR holds torch_anchor.py; by default ../shared/anchors next to the repository.
GB/s on minimum bytes: fwd 12 B/elem, fwd_bwd 32 B/elem, copy 8 B/elem.
"""
import argparse
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--anchor', default=os.path.join(HERE, '..', '..', 'shared', 'anchors'))
    ap.add_argument('--json', default=None)
    args = ap.parse_args()
    sys.path.insert(0, os.path.abspath(args.anchor))
    import torch_anchor as ta  # noqa: E402

    torch.set_num_threads(ta.NUM_THREADS)
    print('torch %s, threads %d, CPU %s, busy before %.0f%%'
          % (torch.__version__, torch.get_num_threads(), ta.cpu_model(), ta.idle_check()))
    res = {}
    print('%-4s %-10s | %9s %9s %9s | %7s | %s' % ('n', 'pass', 'median', 'min', 'max', 'GB/s', 'other'))
    for n, label, (warm, steps) in ((1 << 20, '1M', (20, 300)), (16 << 20, '16M', (3, 20))):
        r = ta.micro_masked_op(n, warm, steps)
        src, dst = torch.rand(n), torch.empty(n)
        r['copy'] = ta.bench(lambda: dst.copy_(src), warm, steps)
        r['copy']['GBps'] = 8 * n / r['copy']['median'] / 1e9
        res[label] = r
        for k in ('fwd', 'fwd_prealc', 'fwd_bwd', 'mul_only', 'copy'):
            print('%-4s %-10s | %s | %7.1f | %s' % (label, k, ta.fmt_ms(r[k]), r[k]['GBps'], ta.fmt_other(r[k])))
        sys.stdout.flush()
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(res, f, indent=1)


if __name__ == '__main__':
    main()
