#!/usr/bin/python3
"""PyTorch/nflows training-step throughput, the reference the Java trainer is compared with.

A step is: log_prob of one batch under the flow (StandardNormal base), mean negative log-likelihood,
backward, clip_grad_norm_(5), Adam step (lr 1e-3), zero_grad. Cases:

  maf_h256_b512     MaskedAffineAutoregressiveTransform(features=6, hidden_features=256, num_blocks=2,
                    residual), batch 512
  rqc_d43_h256_b512 PiecewiseRationalQuadraticCouplingTransform on D=43, alternating even mask,
                    ResidualNet(hidden 256, 2 blocks), K=8, linear tails, tail bound 3, batch 512
  maf_h8_b8         the MAF of the first case with hidden_features=8, batch 8 (per-step overhead)

Data: standard normal times a seeded random correlated matrix; a pool of 32 batches is drawn once and cycled.
Each case warms up (20 steps and at least 1 s), then is timed for at least --seconds (default 3) per repeat,
--repeats times (default 3); the median steps/s is reported.

Running it fairly on this 2-core machine:
  * Debian's torch (python3-torch) and libopenblas0-pthread installed (tools/fixtures/setup-python.sh);
    run with /usr/bin/python3, not the pyenv python on PATH.
  * --threads N (default 1) sets torch.set_num_threads(N) and limits OpenBLAS to N threads through
    threadpoolctl (Debian's torch calls the system BLAS, whose pthreads pool torch does not size itself);
    --blas-threads M gives OpenBLAS a different count (e.g. --threads 2 --blas-threads 1 when torch's
    OpenMP workers and OpenBLAS's pthreads would otherwise both spin on the same 2 cores).
  * Set OMP_NUM_THREADS to the same N, or OMP_WAIT_POLICY=PASSIVE, so that idle OpenMP workers do not spin
    against the other process on the machine:
        OMP_NUM_THREADS=1 /usr/bin/python3 tools/bench/torch_bench.py --threads 1
        OMP_NUM_THREADS=2 /usr/bin/python3 tools/bench/torch_bench.py --threads 2 --json
  * OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE may be set on some machines here to work around old OpenBLAS bugs.
    Leave them as they are; if you unset them for a run, check with threadpoolctl which kernel OpenBLAS
    then picks. The JSON output records the OpenBLAS kernel ("architecture") and those variables.
  * The machine is shared: run when it is otherwise idle, and compare numbers from the same session only.
"""

import argparse
import json
import math
import os
import statistics
import sys
import time

import numpy as np
import torch

from nflows.distributions import StandardNormal
from nflows.flows import Flow
from nflows.nn.nets import ResidualNet
from nflows.transforms import (
    MaskedAffineAutoregressiveTransform,
    PiecewiseRationalQuadraticCouplingTransform,
)
from nflows.utils import torchutils

SEED = 1234
POOL_BATCHES = 32


def maf(features, hidden):
    return MaskedAffineAutoregressiveTransform(features=features, hidden_features=hidden, num_blocks=2,
                                               use_residual_blocks=True)


def rq_coupling(features, hidden):
    return PiecewiseRationalQuadraticCouplingTransform(
        mask=torchutils.create_alternating_binary_mask(features, even=True),
        transform_net_create_fn=lambda i, o: ResidualNet(i, o, hidden_features=hidden, num_blocks=2),
        num_bins=8, tails="linear", tail_bound=3.0)


CASES = [
    # name, transform factory, features, hidden, batch
    ("maf_h256_b512", maf, 6, 256, 512),
    ("rqc_d43_h256_b512", rq_coupling, 43, 256, 512),
    ("maf_h8_b8", maf, 6, 8, 8),
]


def data_pool(features, batch, gen):
    mixing = torch.randn(features, features, generator=gen) / math.sqrt(features) + torch.eye(features)
    z = torch.randn(POOL_BATCHES * batch, features, generator=gen)
    return list((z @ mixing).split(batch))


def run_case(name, factory, features, hidden, batch, seconds, repeats):
    torch.manual_seed(SEED)
    gen = torch.Generator().manual_seed(SEED)
    flow = Flow(factory(features, hidden), StandardNormal([features]))
    optimizer = torch.optim.Adam(flow.parameters(), lr=1e-3)
    pool = data_pool(features, batch, gen)
    cursor = [0]

    def step():
        x = pool[cursor[0] % POOL_BATCHES]
        cursor[0] += 1
        optimizer.zero_grad(set_to_none=True)
        loss = -flow.log_prob(x).mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(flow.parameters(), 5.0)
        optimizer.step()
        return loss

    start = time.perf_counter()
    warm = 0
    while warm < 20 or time.perf_counter() - start < 1.0:
        loss = step()
        warm += 1
    if not torch.isfinite(loss):
        raise RuntimeError(name + ": loss is not finite after warm-up")

    rates = []
    for _ in range(repeats):
        steps = 0
        start = time.perf_counter()
        while True:
            step()
            steps += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        rates.append(steps / elapsed)
    return {
        "case": name,
        "features": features,
        "hidden_features": hidden,
        "batch": batch,
        "parameters": sum(p.numel() for p in flow.parameters()),
        "steps_per_second_median": statistics.median(rates),
        "steps_per_second_repeats": rates,
        "final_loss": float(step().item()),
    }


def environment(threads, blas_threads):
    info = {
        "torch": torch.__version__,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "threads": threads,
        "blas_threads": blas_threads,
        "torch_num_threads": torch.get_num_threads(),
        "cpu_count": os.cpu_count(),
        "env": {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY", "OPENBLAS_CORETYPE",
                                               "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS")},
    }
    try:
        import threadpoolctl
        info["threadpools"] = [
            {k: p.get(k) for k in ("internal_api", "version", "architecture", "threading_layer", "num_threads")}
            for p in threadpoolctl.threadpool_info()]
    except ImportError:
        info["threadpools"] = "threadpoolctl not installed"
    return info


def main():
    parser = argparse.ArgumentParser(description="nflows training steps per second")
    parser.add_argument("--threads", type=int, default=1, help="torch and OpenBLAS threads (default 1)")
    parser.add_argument("--blas-threads", type=int, default=None,
                        help="OpenBLAS threads if different from --threads (torch's own ops keep --threads)")
    parser.add_argument("--seconds", type=float, default=3.0, help="minimum timed seconds per repeat")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cases", default=",".join(c[0] for c in CASES), help="comma-separated case names")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of a table")
    args = parser.parse_args()
    if args.blas_threads is None:
        args.blas_threads = args.threads
    if args.threads < 1 or args.blas_threads < 1:
        parser.error("--threads and --blas-threads must be at least 1")
    if args.seconds <= 0 or args.repeats < 1:
        parser.error("--seconds must be positive and --repeats at least 1")
    wanted = args.cases.split(",")
    unknown = set(wanted) - {c[0] for c in CASES}
    if unknown:
        parser.error("unknown case(s) %s; known: %s" % (sorted(unknown), [c[0] for c in CASES]))

    torch.set_num_threads(args.threads)
    limiter = None
    try:
        import threadpoolctl
        limiter = threadpoolctl.threadpool_limits(limits=args.blas_threads, user_api="blas")
    except ImportError:
        print("warning: threadpoolctl missing, OpenBLAS threads not limited", file=sys.stderr)

    results = []
    for case in CASES:
        if case[0] in wanted:
            r = run_case(*case, seconds=args.seconds, repeats=args.repeats)
            results.append(r)
            if not args.json:
                print("%-18s %8.1f steps/s  (repeats %s, %d parameters, batch %d)"
                      % (r["case"], r["steps_per_second_median"],
                         ", ".join("%.1f" % v for v in r["steps_per_second_repeats"]), r["parameters"], r["batch"]),
                      flush=True)
    document = {"environment": environment(args.threads, args.blas_threads), "results": results}
    if args.json:
        print(json.dumps(document, indent=2))
    else:
        env = document["environment"]
        print("torch %s, %d thread(s); threadpools: %s" % (env["torch"], env["torch_num_threads"], env["threadpools"]))
    if limiter is not None:
        limiter.restore_original_limits()


if __name__ == "__main__":
    main()
