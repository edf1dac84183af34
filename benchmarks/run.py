"""Measure crema-budget's start-up time, its cost on a large file and its peak memory.

Every figure comes from fresh subprocesses. The machine is assumed to be shared
and noisy, so the commands being compared run in the same rounds, in a
rotating order, and each figure is the median over the rounds.

- Start-up: ``crema-budget totals`` on the embedded agreement against the floor,
  which is importing its libraries and building one Pydantic model
  (target: totals ≤ 1.15 × floor). ``check`` on the embedded agreement (what
  CI runs), ``--help`` and bare ``python -c pass`` are shown for scale.
- Scale: ``crema-budget --data big.yaml check --format json`` on a generated
  file (2000 ambiti × 10 fee lines by default) against a bare libyaml parse of
  the same file (target: ≤ 1.5 ×). JSON, because the default table of 70,000
  checks is Rich laying out a terminal table (about 14 ms per ambito), not the
  cost of reading and checking the file.
- Memory: the peak resident memory of ``check`` at several sizes, and a straight
  line fitted through it (the memory should grow linearly with the file).

It is a report, not a gate: the exit status is 0 unless a command fails to run.
Peak memory comes from ``wait4`` (POSIX only).

Example: python benchmarks/run.py            (about a minute)
         python benchmarks/run.py --quick    (about 40 seconds)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generate import generate

#: The start-up floor: the libraries every command needs and one Pydantic model.
FLOOR = (
    "import typer, rich.table, yaml\n"
    "from pydantic import BaseModel\n"
    "class Model(BaseModel):\n"
    "    x: int\n"
    "Model(x=1)\n"
)
#: A bare libyaml parse: what reading the file costs at least.
LIBYAML = (
    "import sys, yaml\n"
    "with open(sys.argv[1], encoding='utf-8') as f:\n"
    "    yaml.load(f, Loader=yaml.CSafeLoader)\n"
)
#: The same parse with the cyclic garbage collector off, as crema-budget runs:
#: shown so the ratio is not read as won by that alone.
LIBYAML_NO_GC = "import gc\ngc.disable()\n" + LIBYAML
STARTUP_TARGET = 1.15
SCALE_TARGET = 1.5


@dataclass
class Command:
    """A command line to time, with every run's wall time and peak memory."""

    name: str
    argv: list[str]
    seconds: list[float] = field(default_factory=list)
    peak_bytes: list[int] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> int:
        return max(self.peak_bytes)


class RunFailed(Exception):
    """A benchmarked command exited with an error: the figures would mean nothing."""


def crema_budget() -> list[str]:
    """The installed ``crema-budget`` script next to this Python, else ``python -m``."""
    script = Path(sys.executable).parent / (
        "crema-budget.exe" if os.name == "nt" else "crema-budget"
    )
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "crema_budget"]


def run_once(command: Command, env: dict[str, str]) -> None:
    """Run ``command`` once, output discarded; record its wall time and peak memory."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            command.argv,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            stdin=subprocess.DEVNULL,
            env=env,
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace").strip()[-2000:]
            raise RunFailed(
                f"{command.name} exited with {process.returncode}: "
                f"{' '.join(command.argv)}\n{message}"
            )
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    command.seconds.append(elapsed)
    command.peak_bytes.append(usage.ru_maxrss * scale)


def measure(commands: Sequence[Command], rounds: int, env: dict[str, str]) -> None:
    """One warm-up run each, then ``rounds`` rounds, the order rotating every round."""
    for command in commands:
        run_once(command, env)
        command.seconds.clear()
        command.peak_bytes.clear()
    for index in range(rounds):
        shift = index % len(commands)
        for command in [*commands[shift:], *commands[:shift]]:
            run_once(command, env)
        if sys.stderr.isatty():
            print(f"  round {index + 1}/{rounds}", end="\r", file=sys.stderr, flush=True)
    if sys.stderr.isatty():
        print(" " * 30, end="\r", file=sys.stderr, flush=True)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def _mb(size: int) -> str:
    return f"{size / 1e6:7.1f} MB"


def _verdict(ratio: float, target: float) -> str:
    return f"target ≤ {target:.2f}: {'MET' if ratio <= target else 'NOT MET'}"


def _table(commands: Sequence[Command]) -> None:
    width = max(len(c.name) for c in commands)
    print(f"  {'command':<{width}}  {'median':>11}  {'min':>11}  {'max':>11}  {'peak RSS':>10}")
    for c in commands:
        print(
            f"  {c.name:<{width}}  {_ms(c.median)}  {_ms(min(c.seconds))}  "
            f"{_ms(max(c.seconds))}  {_mb(c.peak)}"
        )


def startup(cli: list[str], rounds: int, env: dict[str, str]) -> float:
    bare = Command("python -c pass", [sys.executable, "-c", "pass"])
    floor = Command("floor (typer, rich, yaml, 1 model)", [sys.executable, "-c", FLOOR])
    totals = Command("crema-budget totals", [*cli, "totals"])
    check = Command("crema-budget check", [*cli, "check"])
    helps = Command("crema-budget --help", [*cli, "--help"])
    commands = [bare, floor, totals, check, helps]
    print(f"Start-up ({rounds} interleaved rounds, medians):")
    measure(commands, rounds, env)
    _table(commands)
    ratio = totals.median / floor.median
    print(f"  totals / floor = {ratio:.3f}   ({_verdict(ratio, STARTUP_TARGET)})")
    print(f"  check  / floor = {check.median / floor.median:.3f}   (for scale: 51 rows, no target)")
    print(f"  --help / floor = {helps.median / floor.median:.3f}")
    print()
    return ratio


def _generate(folder: Path, ambiti: int, servizi: int) -> Path:
    path = folder / f"agreement_{ambiti}x{servizi}.yaml"
    if not path.exists():
        path.write_text(generate(ambiti, servizi), encoding="utf-8")
    return path


def _check(cli: list[str], path: Path, name: str) -> Command:
    return Command(name, [*cli, "--data", str(path), "check", "--format", "json"])


def scale(
    cli: list[str], folder: Path, ambiti: int, servizi: int, rounds: int, env: dict[str, str]
) -> tuple[float, Command]:
    path = _generate(folder, ambiti, servizi)
    size = path.stat().st_size
    print(
        f"Scale: {ambiti} ambiti × {servizi} fee lines, {size / 1e6:.1f} MB "
        f"({rounds} interleaved rounds, medians):"
    )
    parse = Command("bare libyaml parse (CSafeLoader)", [sys.executable, "-c", LIBYAML, str(path)])
    parse_no_gc = Command(
        "  the same, cyclic GC off", [sys.executable, "-c", LIBYAML_NO_GC, str(path)]
    )
    check = _check(cli, path, "crema-budget check --format json")
    measure([parse, parse_no_gc, check], rounds, env)
    _table([parse, parse_no_gc, check])
    ratio = check.median / parse.median
    print(f"  check / libyaml parse = {ratio:.3f}   ({_verdict(ratio, SCALE_TARGET)})")
    print(f"  check / libyaml parse with GC off = {check.median / parse_no_gc.median:.3f}")
    print()
    return ratio, check


def memory(
    cli: list[str],
    folder: Path,
    sizes: Sequence[int],
    servizi: int,
    env: dict[str, str],
    known: dict[int, Command],
) -> float:
    """Peak memory of ``check`` by size, and how far it strays from a straight line."""
    print(f"Peak memory of check by size ({servizi} fee lines per ambito):")
    print(f"  {'ambiti':>7}  {'file':>10}  {'peak RSS':>10}  {'per ambito':>11}  {'fit':>10}")
    points: list[tuple[int, int, int]] = []
    for ambiti in sizes:
        command = known.get(ambiti)
        path = _generate(folder, ambiti, servizi)
        if command is None:
            command = _check(cli, path, f"check {ambiti}")
            run_once(command, env)
        points.append((ambiti, path.stat().st_size, command.peak))
    xs = [float(n) for n, _, _ in points]
    ys = [float(peak) for _, _, peak in points]
    slope, intercept = statistics.linear_regression(xs, ys) if len(points) > 1 else (0.0, 0.0)
    worst = 0.0
    for ambiti, size, peak in points:
        fitted = intercept + slope * ambiti
        worst = max(worst, abs(peak - fitted) / peak)
        print(
            f"  {ambiti:>7}  {_mb(size)}  {_mb(peak)}  {(peak - intercept) / ambiti / 1e3:7.1f} kB"
            f"  {_mb(int(fitted))}"
        )
    print(
        f"  linear fit: {intercept / 1e6:.1f} MB + {slope / 1e3:.1f} kB per ambito; "
        f"largest deviation from the line {worst:.1%}"
    )
    print()
    return worst


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time crema-budget's start-up and large-file check; report peak memory.",
        epilog="Example: python benchmarks/run.py --quick",
    )
    parser.add_argument(
        "--rounds", type=int, default=15, help="start-up rounds (default 15; 7 with --quick)"
    )
    parser.add_argument(
        "--scale-rounds",
        type=int,
        default=7,
        help="rounds of the large-file check (default 7; 3 with --quick)",
    )
    parser.add_argument(
        "--ambiti", type=int, default=2000, help="ambiti in the large file (default 2000)"
    )
    parser.add_argument("--servizi", type=int, default=10, help="fee lines per ambito (default 10)")
    parser.add_argument(
        "--quick", action="store_true", help="fewer rounds: a rough figure in about half a minute"
    )
    parser.add_argument("--skip-startup", action="store_true", help="skip the start-up part")
    parser.add_argument(
        "--skip-scale", action="store_true", help="skip the large-file and memory parts"
    )
    args = parser.parse_args(argv)
    if min(args.rounds, args.scale_rounds, args.servizi) < 1 or args.ambiti < 2:
        parser.error("rounds and --servizi must be at least 1, --ambiti at least 2")
    if args.quick:
        args.rounds = min(args.rounds, 7)
        args.scale_rounds = min(args.scale_rounds, 3)

    cli = crema_budget()
    # Output goes to /dev/null: a fixed width and no colour keep the work the same.
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}
    # Let the warm-up runs cache bytecode: with PYTHONDONTWRITEBYTECODE set, every
    # run would compile each edited module again (10 ms for the loader alone).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    print(f"python {sys.version.split()[0]} at {sys.executable}")
    print(f"crema-budget: {' '.join(cli)}")
    print(f"CPUs: {os.cpu_count()}; load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    try:
        startup_ratio = None if args.skip_startup else startup(cli, args.rounds, env)
        scale_ratio = deviation = None
        if not args.skip_scale:
            folder = Path(tempfile.mkdtemp(prefix="crema-budget-bench-"))
            try:
                scale_ratio, big = scale(
                    cli, folder, args.ambiti, args.servizi, args.scale_rounds, env
                )
                sizes = sorted(
                    {args.ambiti // 8, args.ambiti // 4, args.ambiti // 2, args.ambiti} - {0}
                )
                deviation = memory(cli, folder, sizes, args.servizi, env, {args.ambiti: big})
            finally:
                shutil.rmtree(folder, ignore_errors=True)
    except RunFailed as failure:
        print(f"benchmark failed: {failure}", file=sys.stderr)
        return 1
    print("Summary:")
    if startup_ratio is not None:
        print(
            f"  start-up: totals / floor = {startup_ratio:.3f} "
            f"({_verdict(startup_ratio, STARTUP_TARGET)})"
        )
    if scale_ratio is not None:
        print(
            f"  scale:    check / libyaml parse = {scale_ratio:.3f} "
            f"({_verdict(scale_ratio, SCALE_TARGET)})"
        )
    if deviation is not None:
        print(f"  memory:   peak RSS within {deviation:.1%} of a straight line in the size")
    return 0


if __name__ == "__main__":
    sys.exit(main())
