#!/usr/bin/python3
"""A small CNN trained with plain PyTorch on synthetic data, metered (and, given a GPU whose power
limit can be set, controlled) by chase.

    /usr/bin/python3 examples/train_cnn.py --epochs 3 --region GB

Without a GPU it meters what discovery finds (RAPL, or the estimated CPU) with ``chase.track``
and prints each epoch's energy and CO2e. With a GPU (or the fake NVML library of the tests:
``CHASE_NVML_LIBRARY=…/libchase_fake_nvml.so CHASE_FAKE_NVML_FIXTURE=…``) it runs
``chase.torch.PowerLimitController``: just-in-time profiling of the power limits from the
training steps, then Chase's per-frame limits within the slowdown budget, limits restored at
the end. Under torchrun (gloo or nccl) every rank runs this same script; rank 0 prints the
job's totals and records its one run.
"""

import argparse
import os
import sys

import torch
from torch import nn

import chase
import chase.torch


class SmallCnn(nn.Module):
    """Two convolutions and a linear classifier for 1x28x28 inputs and 10 classes."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.classify = nn.Linear(16 * 7 * 7, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classify(self.features(x).flatten(1))


def synthetic_batches(steps: int, batch: int, seed: int):
    """Deterministic random images whose label is a function of the pixels (learnable)."""
    g = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        x = torch.randn(batch, 1, 28, 28, generator=g)
        y = (x.mean(dim=(1, 2, 3)) * 40).long().clamp(-5, 4) + 5
        yield x, y


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--steps-per-epoch", type=int, default=40)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--region", default="GB", help="grid zone or country for the intensity (chase presets regions)")
    p.add_argument("--trace", help="an intensity trace CSV instead of --region")
    p.add_argument("--slowdown-budget", type=float, default=0.025)
    p.add_argument("--frame-minutes", type=float, default=None)
    p.add_argument("--warmup-steps", type=int, default=2)
    p.add_argument("--measure-steps", type=int, default=5)
    p.add_argument("--db", default=None, help="the run store (default: $CHASE_DB, else ~/.local/share/chase/runs.db)")
    args = p.parse_args()

    distributed = os.environ.get("WORLD_SIZE", "1") != "1"
    if distributed:
        torch.distributed.init_process_group("gloo")
    rank = torch.distributed.get_rank() if distributed else 0
    torch.manual_seed(0)
    model = SmallCnn()
    if distributed:
        model = nn.parallel.DistributedDataParallel(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    loss_fn = nn.CrossEntropyLoss()
    source = chase.TraceSource(args.trace) if args.trace else chase.RegionSource(args.region)

    try:
        controller = chase.torch.PowerLimitController(
            source=source, epochs=args.epochs, steps_per_epoch=args.steps_per_epoch,
            slowdown_budget=args.slowdown_budget, frame_minutes=args.frame_minutes,
            warmup_steps=args.warmup_steps, measure_steps=args.measure_steps, db=args.db)
    except chase.HardwareError as e:
        controller = None
        if rank == 0:
            print(f"no power limit to control ({e}); metering only", file=sys.stderr)

    def train_epoch(epoch: int) -> float:
        total = 0.0
        for x, y in synthetic_batches(args.steps_per_epoch, args.batch, seed=1000 * epoch + rank):
            if controller:
                controller.on_step_begin()
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            total += loss.item()
            if controller:
                controller.on_step_end()
        return total / args.steps_per_epoch

    def report(epoch: int, loss: float, m: chase.Measurement) -> None:
        carbon = "n/a" if m.carbon_g is None else f"{m.carbon_g:.4f} gCO2e"
        limit = f", limit {controller.current_limit_w:g} W" if controller and controller.current_limit_w else ""
        print(f"rank {rank} epoch {epoch}: loss {loss:.3f}, {m.time_s:.2f} s, {m.energy_j:.1f} J, {carbon}"
              f"{' (estimated)' if m.estimated else ''}{limit}", flush=True)

    if controller:
        with controller:
            for epoch in range(args.epochs):
                loss = train_epoch(epoch)
                report(epoch, loss, controller.on_epoch_end())
        r = controller.run_result
        if rank == 0:
            print(f"job: {r.energy_j:.1f} J, {r.carbon_g:.4f} gCO2e over {r.time_s:.2f} s; run {controller.run_id}; "
                  f"profiled {controller.result.profiling_steps} steps, {len(controller.decisions())} frame(s), "
                  f"limits restored", flush=True)
    elif rank == 0:
        # Metering only: rank 0 meters what the node has (every GPU and the CPU) for the job.
        with chase.track("examples/train_cnn.py", source=source, db=args.db) as run:
            for epoch in range(args.epochs):
                run.begin_window(f"epoch {epoch}")
                loss = train_epoch(epoch)
                report(epoch, loss, run.end_window(f"epoch {epoch}"))
        r = run.result
        print(f"job: {r.energy_j:.1f} J, {r.carbon_g:.4f} gCO2e over {r.time_s:.2f} s; run {run.id}", flush=True)
    else:
        for epoch in range(args.epochs):
            train_epoch(epoch)
    if distributed:
        # Let DDP's reducer go while the process group is still alive and every collective is
        # done: torch 1.13's gloo group, destroyed from the reducer's destructor, can deadlock
        # on the GIL with its own worker thread.
        torch.distributed.barrier()
        del model
        torch.distributed.destroy_process_group()
    return 0


if __name__ == "__main__":
    sys.exit(main())
