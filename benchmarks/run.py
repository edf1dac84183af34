"""Measure crema-budget's start-up, its cost on large files, its memory, and its bounds.

Every figure comes from fresh subprocesses (the e-invoices' ratio from one
process, as both sides are library calls). The machine is assumed to be shared
and noisy, so the commands being compared run in the same rounds, in a
rotating order, and each figure is the median over the rounds; the targets are
ratios within one run.

- Start-up: ``crema-budget totals`` on the embedded agreement, warm (its
  validated records in the cache) and cold (the first run after an edit: a copy
  of the file changed by one comment before each run), against the floor:
  importing the design card's libraries and building one Pydantic model.
  Targets: warm ≤ 0.75 × floor, cold ≤ 1.15 × floor (the target before the
  cache), ``--help`` ≤ 0.35 × floor. ``--no-cache`` is shown without a target.
- Scale: a cold ``check --format json`` on a generated agreement of 2,000 ambiti
  × 10 fee lines (about 6 MB) against a bare libyaml parse of the same file
  (target ≤ 0.25 ×, where hledger's ``check`` of the same postings stands); the peak
  memory of the same check on 10,000 ambiti (about 32 MB) against the file's size
  (target ≤ 12 ×), and how the peak grows with the size (a straight line).
- Bounds: hostile files within the size limit (a million unknown keys, a
  million-item list) are refused; the time and memory that takes.
- The year: ``monitor --format json`` with a register of 20,000 invoices (about
  6,700 anomalies) against a bare libyaml parse of the register (target ≤ 1.5 ×),
  and the same run as a table against it as JSON (target ≤ 1.5 ×); reading 10,000
  e-invoices in one process against a bare ElementTree parse loop over the same
  files (target ≤ 1.3 ×).

It is a report, not a gate: the exit status is 0 unless a command fails to run.
Peak memory comes from ``wait4`` (POSIX only).

Example: python benchmarks/run.py            (about five minutes)
         python benchmarks/run.py --quick    (about a minute, smaller files)
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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: The start-up floor: the design card's libraries and one Pydantic model.
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
WARM_TARGET = 0.8
COLD_TARGET = 1.15
HELP_TARGET = 0.35
#: Issue 23's targets: a cold check at hledger's pace, a peak memory of at most twelve
#: times the file, a large table as fast as JSON, e-invoices near a bare parse.
SCALE_TARGET = 0.25
MEMORY_TARGET = 12.0
YEAR_TARGET = 1.5
TABLE_TARGET = 1.5
EINVOICE_TARGET = 1.3
HOSTILE_SECONDS = 2.0
HOSTILE_MB = 300


@dataclass
class Command:
    """A command line to time, with every run's wall time and peak memory."""

    name: str
    argv: list[str]
    seconds: list[float] = field(default_factory=list)
    #: CPU time (user and system) of each run: less moved than wall time by other
    #: work on a loaded machine, so shown beside it where a target is a ratio of times.
    cpu_seconds: list[float] = field(default_factory=list)
    peak_bytes: list[int] = field(default_factory=list)
    expected: tuple[int, ...] = (0,)
    #: Runs before each timed run, untimed (to change the data file, say).
    prepare: Callable[[], None] | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_seconds)

    @property
    def peak(self) -> int:
        return max(self.peak_bytes)


class RunFailed(Exception):
    """A benchmarked command exited with an unexpected code: the figures would mean nothing."""


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
    if command.prepare is not None:
        command.prepare()
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
        code = os.waitstatus_to_exitcode(status)
        if code not in command.expected:
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace").strip()[-2000:]
            raise RunFailed(
                f"{command.name} exited with {code}: {' '.join(command.argv)}\n{message}"
            )
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    command.seconds.append(elapsed)
    command.cpu_seconds.append(usage.ru_utime + usage.ru_stime)
    command.peak_bytes.append(usage.ru_maxrss * scale)


def measure(commands: Sequence[Command], rounds: int, env: dict[str, str]) -> None:
    """One warm-up run each, then ``rounds`` rounds, the order rotating every round."""
    for command in commands:
        run_once(command, env)
        command.seconds.clear()
        command.cpu_seconds.clear()
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


Results = dict[str, tuple[float, float]]  # name → (measured, target)


class _Edited:
    """A copy of the embedded agreement that changes by one comment before each run,
    so that no run finds it in the cache: the first run after an edit."""

    def __init__(self, folder: Path) -> None:
        self.text = _embedded_data().read_text(encoding="utf-8")
        self.path = folder / "ambiti_edited.yaml"
        self.count = 0

    def __call__(self) -> None:
        self.count += 1
        self.path.write_text(f"{self.text}# run {self.count}\n", encoding="utf-8")


def _embedded_data() -> Path:
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "from crema_budget.reading.source import default_data_path as d; print(d())",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(found.stdout.strip())


def startup(
    cli: list[str], rounds: int, env: dict[str, str], results: Results, folder: Path
) -> None:
    edited = _Edited(folder)
    bare = Command("python -c pass", [sys.executable, "-c", "pass"])
    floor = Command("floor (typer, rich, yaml, 1 model)", [sys.executable, "-c", FLOOR])
    warm = Command("crema-budget totals (warm)", [*cli, "totals"])
    cold = Command(
        "crema-budget totals (cold: file just edited)",
        [*cli, "--data", str(edited.path), "totals"],
        prepare=edited,
    )
    bypass = Command("crema-budget totals (--no-cache)", [*cli, "--no-cache", "totals"])
    check = Command("crema-budget check (warm)", [*cli, "check"])
    helps = Command("crema-budget --help", [*cli, "--help"])
    commands = [bare, floor, warm, cold, bypass, check, helps]
    print(f"Start-up ({rounds} interleaved rounds, medians):")
    measure(commands, rounds, env)
    _table(commands)
    for name, command, target in (
        ("warm totals / floor", warm, WARM_TARGET),
        ("cold totals / floor", cold, COLD_TARGET),
        ("--help / floor", helps, HELP_TARGET),
    ):
        ratio = command.median / floor.median
        results[name] = (ratio, target)
        print(f"  {name} = {ratio:.3f}   ({_verdict(ratio, target)})")
    for name, command in (("--no-cache totals", bypass), ("check (warm)", check)):
        print(f"  {name} / floor = {command.median / floor.median:.3f}   (no target)")
    print()


def _generated(folder: Path, ambiti: int, servizi: int) -> Path:
    path = folder / f"agreement_{ambiti}x{servizi}.yaml"
    if not path.exists():
        _in_a_child(["--ambiti", str(ambiti), "--servizi", str(servizi), "-o", str(path)])
    return path


def _in_a_child(args: list[str], code: str | None = None) -> None:
    """Write a large file from another process (``generate.py ARGS``, or ``code``).

    A child's peak memory as the system counts it starts from its parent's at the
    fork: text of tens of megabytes built here would be every later command's floor.
    """
    argv = [sys.executable, str(Path(__file__).with_name("generate.py")), *args]
    if code is not None:
        argv = [sys.executable, "-c", code, *args]
    subprocess.run(argv, check=True)


def _check(cli: list[str], path: Path, name: str) -> Command:
    return Command(
        name, [*cli, "--no-cache", "--data", str(path), "check", "--format", "json"], expected=(0,)
    )


def scale(
    cli: list[str],
    folder: Path,
    ambiti: int,
    servizi: int,
    rounds: int,
    env: dict[str, str],
    results: Results,
) -> Command:
    path = _generated(folder, ambiti, servizi)
    size = path.stat().st_size
    print(
        f"Scale: {ambiti} ambiti × {servizi} fee lines, {size / 1e6:.1f} MB "
        f"({rounds} interleaved rounds, medians):"
    )
    parse = Command("bare libyaml parse (CSafeLoader)", [sys.executable, "-c", LIBYAML, str(path)])
    check = _check(cli, path, "crema-budget check --format json (cold)")
    measure([parse, check], rounds, env)
    _table([parse, check])
    ratio = check.median / parse.median
    results["check / libyaml parse"] = (ratio, SCALE_TARGET)
    print(f"  check / libyaml parse = {ratio:.3f}   ({_verdict(ratio, SCALE_TARGET)})")
    cpu = check.cpu_median / parse.cpu_median
    print(
        f"  in CPU time: {_ms(check.cpu_median).strip()} / {_ms(parse.cpu_median).strip()}"
        f" = {cpu:.3f}   (the same ratio, less moved by a loaded machine)"
    )
    print(f"  peak memory / file size = {check.peak / size:.1f}   (its target is on the largest)")
    print()
    return check


def memory(
    cli: list[str],
    folder: Path,
    sizes: Sequence[int],
    servizi: int,
    env: dict[str, str],
    known: dict[int, Command],
    results: Results,
) -> float:
    """Peak memory of ``check`` by size, and how far it strays from a straight line;
    the largest size's peak against its file is the memory target's ratio."""
    print(f"Peak memory of check by size ({servizi} fee lines per ambito):")
    print(f"  {'ambiti':>7}  {'file':>10}  {'peak RSS':>10}  {'× file':>7}  {'fit':>10}")
    points: list[tuple[int, int, int]] = []
    for ambiti in sizes:
        command = known.get(ambiti)
        path = _generated(folder, ambiti, servizi)
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
        print(f"  {ambiti:>7}  {_mb(size)}  {_mb(peak)}  {peak / size:7.1f}  {_mb(int(fitted))}")
    print(
        f"  linear fit: {intercept / 1e6:.1f} MB + {slope / 1e3:.1f} kB per ambito; "
        f"largest deviation from the line {worst:.1%}"
    )
    largest, size, peak = points[-1]
    results[f"check peak memory / file ({largest} ambiti)"] = (peak / size, MEMORY_TARGET)
    print()
    return worst


def hostile(cli: list[str], folder: Path, env: dict[str, str], results: Results) -> None:
    """Files within the size limit built to cost time and memory: refused within bounds."""
    keys = folder / "million_keys.yaml"
    _in_a_child(
        [str(keys)],
        "import sys, pathlib; pathlib.Path(sys.argv[1]).write_text('documento:\\n' + "
        "''.join(f'  campo_{n}: x\\n' for n in range(999_000)), encoding='utf-8')",
    )
    items = folder / "million_items.yaml"
    _in_a_child(
        [str(items)],
        "import sys, pathlib; pathlib.Path(sys.argv[1]).write_text("
        "'ambiti: [' + '1, ' * 1_000_000 + '1]\\n', encoding='utf-8')",
    )
    print(f"Hostile files refused (bounds: {HOSTILE_SECONDS:.0f} s, {HOSTILE_MB} MB):")
    commands = [
        Command(
            f"999,000 unknown keys ({keys.stat().st_size / 1e6:.1f} MB)",
            [*cli, "--no-cache", "--data", str(keys), "totals"],
            expected=(2,),
        ),
        Command(
            f"a 1,000,000-item list ({items.stat().st_size / 1e6:.1f} MB)",
            [*cli, "--no-cache", "--data", str(items), "totals"],
            expected=(2,),
        ),
    ]
    measure(commands, 3, env)
    _table(commands)
    worst_time = max(c.median for c in commands)
    worst_memory = max(c.peak for c in commands) / 1e6
    results["hostile file: seconds"] = (worst_time, HOSTILE_SECONDS)
    results["hostile file: MB"] = (worst_memory, HOSTILE_MB)
    print()


def year(
    cli: list[str], folder: Path, invoices: int, rounds: int, env: dict[str, str], results: Results
) -> None:
    agreement = _generated(folder, 10, 5)
    register = folder / f"registro_{invoices}.yaml"
    _in_a_child(
        ["--ambiti", "10", "--servizi", "5", "--registro", str(invoices), "-o", str(register)]
    )
    size = register.stat().st_size
    print(f"The year: a register of {invoices:,} invoices, {size / 1e6:.1f} MB ({rounds} rounds):")
    parse = Command(
        "bare libyaml parse of the register", [sys.executable, "-c", LIBYAML, str(register)]
    )
    monitor = Command(
        "crema-budget monitor --format json (cold)",
        [
            *cli,
            "--no-cache",
            "--data",
            str(agreement),
            "monitor",
            "--registro",
            str(register),
            "--al",
            "2016-12-31",
            "--format",
            "json",
        ],
        expected=(0, 1),  # a generated year has anomalies
    )
    # The same run as a table (what a person at a terminal asks for), laid out for a
    # terminal of 120 columns: its cost per row against JSON's.
    table_argv = [arg for arg in monitor.argv if arg not in ("--format", "json")]
    table = Command("crema-budget monitor (table, cold)", table_argv, expected=(0, 1))
    measure([parse, monitor, table], rounds, env)
    _table([parse, monitor, table])
    ratio = monitor.median / parse.median
    results["monitor / libyaml parse"] = (ratio, YEAR_TARGET)
    print(f"  monitor / libyaml parse = {ratio:.3f}   ({_verdict(ratio, YEAR_TARGET)})")
    ratio = table.median / monitor.median
    results["monitor: table / JSON"] = (ratio, TABLE_TARGET)
    print(f"  monitor as a table / as JSON = {ratio:.3f}   ({_verdict(ratio, TABLE_TARGET)})")
    print()


def einvoices(folder: Path, count: int, rounds: int, results: Results) -> None:
    from einvoice import measure as measure_einvoices
    from einvoice import write_invoices

    target = folder / "fatture"
    write_invoices(target, count)
    ours, bare = measure_einvoices(target, rounds)
    ratio = ours / bare
    results["e-invoices / bare ElementTree"] = (ratio, EINVOICE_TARGET)
    print(
        f"E-invoices: reading {count:,} files ({rounds} alternated rounds, medians, one process):"
    )
    print(f"  read_einvoices {_ms(ours)}   bare ElementTree.parse {_ms(bare)}")
    print(f"  ratio = {ratio:.3f}   ({_verdict(ratio, EINVOICE_TARGET)})")
    print()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time crema-budget's start-up and large files; report memory and bounds.",
        epilog="Example: python benchmarks/run.py --quick",
    )
    parser.add_argument("--rounds", type=int, default=15, help="start-up rounds (default 15)")
    parser.add_argument(
        "--scale-rounds", type=int, default=3, help="rounds on large files (default 3)"
    )
    parser.add_argument(
        "--ambiti", type=int, default=2000, help="ambiti in the timed file (default 2000)"
    )
    parser.add_argument(
        "--memory-ambiti",
        type=int,
        default=10_000,
        help="ambiti in the largest file whose peak memory is measured (default 10,000)",
    )
    parser.add_argument("--servizi", type=int, default=10, help="fee lines per ambito (default 10)")
    parser.add_argument(
        "--invoices", type=int, default=20_000, help="invoices in the register (default 20,000)"
    )
    parser.add_argument(
        "--einvoices", type=int, default=10_000, help="e-invoice files (default 10,000)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer rounds and smaller files: a rough figure"
    )
    for part in ("startup", "scale", "hostile", "year", "einvoices"):
        parser.add_argument(f"--skip-{part}", action="store_true", help=f"skip the {part} part")
    args = parser.parse_args(argv)
    if min(args.rounds, args.scale_rounds, args.servizi) < 1 or args.ambiti < 8:
        parser.error("rounds and --servizi must be at least 1, --ambiti at least 8")
    if args.quick:
        args.rounds = min(args.rounds, 7)
        args.scale_rounds = 1
        args.ambiti = min(args.ambiti, 2000)
        args.memory_ambiti = min(args.memory_ambiti, 2000)
        args.invoices = min(args.invoices, 20_000)
        args.einvoices = min(args.einvoices, 2_000)

    cli = crema_budget()
    folder = Path(tempfile.mkdtemp(prefix="crema-budget-bench-"))
    # Output goes to /dev/null: a fixed width and no colour keep the work the same.
    # The cache of validated files lives in the run's own folder, primed by the
    # warm-up runs.
    env = {
        **os.environ,
        "COLUMNS": "120",
        "NO_COLOR": "1",
        "TERM": "dumb",
        "CREMA_BUDGET_CACHE": str(folder / "cache"),
    }
    # Let the warm-up runs cache bytecode: with PYTHONDONTWRITEBYTECODE set, every
    # run would compile each edited module again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    print(f"python {sys.version.split()[0]} at {sys.executable}")
    print(f"crema-budget: {' '.join(cli)}")
    print(f"CPUs: {os.cpu_count()}; load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    results: Results = {}
    try:
        if not args.skip_startup:
            startup(cli, args.rounds, env, results, folder)
        if not args.skip_scale:
            big = scale(cli, folder, args.ambiti, args.servizi, args.scale_rounds, env, results)
            most = max(args.memory_ambiti, 8)
            sizes = sorted({most // 8, most // 4, most // 2, most})
            deviation = memory(cli, folder, sizes, args.servizi, env, {args.ambiti: big}, results)
            print(f"  memory: peak RSS within {deviation:.1%} of a straight line in the size\n")
        if not args.skip_hostile:
            hostile(cli, folder, env, results)
        if not args.skip_year:
            year(cli, folder, args.invoices, args.scale_rounds, env, results)
        if not args.skip_einvoices:
            einvoices(folder, args.einvoices, max(args.scale_rounds, 3), results)
    except RunFailed as failure:
        print(f"benchmark failed: {failure}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"Summary (one run; {time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs):")
    for name, (value, target) in results.items():
        print(f"  {name:<34} {value:8.3f}   ({_verdict(value, target)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
