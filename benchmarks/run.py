"""Start-up benchmark: whole processes, medians, ratios to the bare `import typer` floor.

    python benchmarks/run.py [--runs 15]

Every command runs as a fresh process (as a user runs it), interleaved with the others
in each round so that machine noise hits all of them alike. "Warm" runs use the compiled
index; "cold" runs delete the user cache first (the package's compiled index of the
shipped data, src/ocindex/shipped-index.json, stays: it is part of the package). The last
row shows, for information, a data directory matching no compiled index, whose TOML files
must be parsed. Peak memory is each process's maximum resident set. Output is piped (as in
scripts), so the default output is TSV; the table rows force `--format table` and are
compared with their own floor, Typer plus one Rich table. The budget is checked on wall
time; the CPU-time ratio (user + system time of each process) is shown too, as it moves
less with the machine's load.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

PY = sys.executable
TYPER_FLOOR = [PY, "-c", "import typer"]
TABLE_FLOOR = [
    PY,
    "-c",
    "import typer; from rich.console import Console; from rich.table import Table; "
    "t = Table(); t.add_column('a'); t.add_row('1'); Console().print(t)",
]
RANK_TABLE_FLOOR = [
    PY,
    "-c",
    "import typer; from rich.console import Console; from rich.table import Table; "
    "t = Table(); [t.add_column(c) for c in 'abcdefg']; "
    "[t.add_row(str(i), 'Country', 'ISO', 'Region', '5.00', '#' * 10, '+0.50') "
    "for i in range(193)]; Console().print(t)",
]
"""The floor of a 193-row ranking table: Typer plus a plain Rich table of 193 rows."""
RANK_TABLE = "rank criminality --format table"
_SCRIPT = os.path.join(os.path.dirname(PY), "ocindex")
DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")
OCINDEX = [_SCRIPT] if os.access(_SCRIPT, os.X_OK) else [PY, "-m", "ocindex"]
"""The installed console script, as users run it (else `python -m ocindex`)."""


@dataclass
class Case:
    name: str
    argv: list[str]
    floor: str
    budget: float
    cold: bool = False
    times: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, int, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {code}")
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime  # RSS in kB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="rounds (default 15)")
    args = parser.parse_args()

    cache = tempfile.mkdtemp(prefix="ocindex-bench-cache-")
    env = {**os.environ, "OCINDEX_CACHE_DIR": cache}
    env.pop("OCINDEX_DATA_DIR", None)
    # Measure what an installed package does: bytecode cached, as pip leaves it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    commands = {
        "show mali": ["show", "mali"],
        "show mali --format table": ["show", "mali", "--format", "table"],
        "market cocaine --format csv": ["market", "cocaine", "--format", "csv"],
        "compare mali niger burkina-faso": ["compare", "mali", "niger", "burkina-faso"],
        "verify-scores": ["verify-scores"],
        "--help": ["--help"],
        "search gold": ["search", "gold"],
        RANK_TABLE: ["rank", "criminality", "--format", "table"],
    }
    budgets = {"verify-scores": 1.5, RANK_TABLE: 1.25}
    cases = [Case("python -c 'import typer'", TYPER_FLOOR, "typer", 1.0)]
    cases.append(Case("typer + one Rich table", TABLE_FLOOR, "typer", float("inf")))
    cases.append(Case("typer + a 193-row Rich table", RANK_TABLE_FLOOR, "typer", float("inf")))
    for name, argv in commands.items():
        floor = "table193" if name == RANK_TABLE else "table" if "table" in name else "typer"
        cases.append(Case(name, OCINDEX + argv, floor, budgets.get(name, 1.3)))
        cases.append(Case(f"{name} (cold)", OCINDEX + argv, floor, 3.0, cold=True))
    # For information: a data directory no compiled index matches, parsed from TOML.
    unshipped = os.path.join(tempfile.mkdtemp(prefix="ocindex-bench-data-"), "data")
    shutil.copytree(DATA, unshipped)
    with open(os.path.join(unshipped, "zimbabwe.toml"), "a", encoding="utf-8") as handle:
        handle.write("\n")
    cases.append(
        Case(
            "show mali, no compiled index (parses TOML)",
            [*OCINDEX, "show", "mali", "--data-dir", unshipped],
            "typer",
            float("inf"),
            cold=True,
        )
    )

    for _ in range(3):  # write bytecode and the cache before anything is timed
        for case in cases:
            run_once(case.argv, env)
    for _ in range(args.runs):
        for case in cases:
            if case.cold:
                shutil.rmtree(cache, ignore_errors=True)
            elapsed, rss, cpu = run_once(case.argv, env)
            case.times.append(elapsed)
            case.rss_kb.append(rss)
            case.cpu.append(cpu)
            if case.cold:  # leave a warm cache for the next warm case
                run_once([*OCINDEX, "show", "mali"], env)
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(os.path.dirname(unshipped), ignore_errors=True)

    floors = {
        "typer": statistics.median(cases[0].times),
        "table": statistics.median(cases[1].times),
        "table193": statistics.median(cases[2].times),
    }
    cpu_floors = {
        "typer": statistics.median(cases[0].cpu),
        "table": statistics.median(cases[1].cpu),
        "table193": statistics.median(cases[2].cpu),
    }
    print(
        f"{platform.python_implementation()} {platform.python_version()} on "
        f"{platform.machine()}, {os.cpu_count()} CPUs; {args.runs} interleaved rounds, medians"
    )
    print(
        f"{'command':44} {'median':>8} {'floor':>6} {'ratio':>6} {'budget':>6} "
        f"{'peak RSS':>9} {'CPU ratio':>10}"
    )
    failed = False
    for case in cases:
        median = statistics.median(case.times)
        ratio = median / floors[case.floor]
        peak = max(case.rss_kb) / 1024
        budget = "" if case.budget == float("inf") else f"{case.budget:.1f}x"
        over = ratio > case.budget or peak >= 60
        failed |= over
        cpu_ratio = statistics.median(case.cpu) / cpu_floors[case.floor]
        print(
            f"{case.name:44} {median * 1000:6.0f}ms {case.floor:>6} {ratio:5.2f}x "
            f"{budget:>6} {peak:7.1f}MB {cpu_ratio:9.2f}x{'  OVER' if over else ''}"
        )
    print("budget met" if not failed else "budget NOT met")


if __name__ == "__main__":
    main()
