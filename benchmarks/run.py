"""Benchmark refnn against micrograd, NumPy and PyTorch on the same tasks, and check that they agree.

    python benchmarks/run.py                       # every task, 3 rounds (about 11 minutes)
    python benchmarks/run.py --quick               # a short run (what ``tox -e bench`` runs)
    python benchmarks/run.py --tasks xor,matmul --rounds 5
    python benchmarks/run.py --profile moons       # where refnn's time goes, by cProfile

Tasks (see each module's docstring): ``moons`` (micrograd's demo, 100 SGD
steps of an MLP 2-16-16-1), ``xor`` (the classic program's 60000-iteration 3-4-1
network), ``matmul`` (square products, n = 32, 64, 128), ``digits`` (an MLP
64-32-10 to at least 95 % test accuracy), ``startup`` (``import refnn`` and
``python -m refnn``), ``cnn`` (a small convolutional network on the digits,
to at least 95 % in under 60 s).

Every run of every implementation happens in a fresh interpreter, and the
rounds are interleaved: round 1 runs every task in every implementation,
then round 2, and so on, so that a slow minute of a shared machine hits
all of them alike.  The table gives the median over the rounds and the
ratio to refnn's median.  The peers that are not installed are left out.

Before the table, the outcomes are checked: the same accuracy everywhere,
and from the same starting weights the same weights within each task's
stated tolerance.  The script exits with status 1 if any check fails or an
implementation crashes; the timings and the targets are reported, never
enforced.
"""
import argparse
import datetime
import importlib
import importlib.metadata
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]     # the task modules, and this checkout's refnn

TASKS = {"moons": "moons", "xor": "xor", "matmul": "products", "digits": "digits", "startup": "startup",
         "cnn": "cnn"}
TITLES = {
    "moons": "Task 1: micrograd's moons demo, MLP 2-16-16-1, 100 full-batch SGD steps",
    "xor": "Task 2: the classic XOR network 3-4-1, 60000 iterations",
    "matmul": "Task 3: square matrix product A·B of floats",
    "digits": "Task 4: digits MLP 64-32-10, 10 epochs of SGD, to at least 95 % test accuracy",
    "startup": "Task 5: a fresh interpreter importing refnn, and python -m refnn (wall time)",
    "cnn": "Task 6: digits CNN (conv, BatchNorm2d, pool, Dropout, linear), 5 epochs of Adam, to 95 %",
}
PEERS = ("micrograd", "numpy", "torch")
# NumPy's BLAS on one thread, as PyTorch (set_num_threads(1)) and refnn: a shared 2-core machine's
# timings of a spinning second BLAS thread say more about the neighbours than about NumPy.
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def task_module(task):
    return importlib.import_module(TASKS[task])


# --- one implementation, in a child process ----------------------------------------

def child(task, impl, quick):
    """Run one implementation of one task here and print its result as one JSON line."""
    result = task_module(task).run(impl, quick)
    print(json.dumps(result))


def run_child(task, impl, quick):
    """The result of one implementation of one task, run in a fresh interpreter."""
    args = [sys.executable, str(Path(__file__).resolve()), "--child", task, impl]
    args += ["--quick"] if quick else []
    env = dict(os.environ, **ONE_THREAD)
    done = subprocess.run(args, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "no output"}
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the rounds ---------------------------------------------------------------------

def available(task, only):
    """The implementations of a task that are installed here (and asked for)."""
    module = task_module(task)
    from common import installed
    return [impl for impl, needs in module.IMPLEMENTATIONS.items()
            if installed(needs) and (not only or impl in only or impl == "refnn")]


def run_rounds(tasks, rounds, quick, only):
    """times[task][measure][impl] = [seconds per round], outcomes[task][impl], notes, errors."""
    times, outcomes, notes, errors = {}, {}, {}, []
    for r in range(rounds):
        for task in tasks:
            impls = available(task, only)
            impls = impls[r % len(impls):] + impls[:r % len(impls)]       # a different one first each round
            for impl in impls:
                result = run_child(task, impl, quick)
                if "error" in result:
                    errors.append(f"{task} / {impl}: {result['error']}")
                    print(f"round {r + 1}/{rounds}  {task:8} {impl:22} FAILED: {result['error']}", flush=True)
                    continue
                for measure, seconds in result["measures"].items():
                    times.setdefault(task, {}).setdefault(measure, {}).setdefault(impl, []).append(seconds)
                outcomes.setdefault(task, {})[impl] = result["outcome"]
                if result["note"]:
                    notes.setdefault(task, {})[impl] = result["note"]
                shown = ", ".join(f"{m} {format_seconds(s)}" for m, s in result["measures"].items())
                print(f"round {r + 1}/{rounds}  {task:8} {impl:22} {shown}", flush=True)
    return times, outcomes, notes, errors


# --- the table ----------------------------------------------------------------------

def format_seconds(s):
    if s is None:
        return "-"
    if s >= 1:
        return f"{s:.3g} s" if s < 100 else f"{s:.0f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.3g} ms"
    return f"{s * 1e6:.3g} µs"


def summarise(times):
    """medians[task][measure][impl] and ratios to refnn's median (None where refnn has no such measure)."""
    summary = {}
    for task, measures in times.items():
        for measure, by_impl in measures.items():
            refnn = statistics.median(by_impl["refnn"]) if "refnn" in by_impl else None
            for impl, runs in by_impl.items():
                median = statistics.median(runs)
                summary.setdefault(task, {}).setdefault(measure, {})[impl] = {
                    "seconds": runs, "median": median, "ratio": median / refnn if refnn else None}
    return summary


def comparison(ratio):
    if ratio is None:
        return ""
    if ratio >= 1:
        return f"refnn {ratio:.3g}× faster" if ratio > 1.005 else "same"
    return f"refnn {1 / ratio:.3g}× slower"


def print_table(summary, notes):
    header = f"{'measure':42} {'implementation':22} {'median':>10} {'min':>10} {'max':>10} {'÷ refnn':>9}  "
    for task, measures in summary.items():
        print(f"\n{TITLES[task]}\n{header}\n{'-' * len(header)}")
        for measure, by_impl in measures.items():
            for k, (impl, s) in enumerate(by_impl.items()):
                ratio = "" if s["ratio"] is None else f"{s['ratio']:.3g}"
                print(f"{measure if k == 0 else '':42} {impl:22} {format_seconds(s['median']):>10} "
                      f"{format_seconds(min(s['seconds'])):>10} {format_seconds(max(s['seconds'])):>10} "
                      f"{ratio:>9}  {comparison(s['ratio'])}")
        for impl, note in notes.get(task, {}).items():
            print(f"  note, {impl}: {note}")


# --- checks and targets -------------------------------------------------------------

def run_checks(outcomes):
    """(ok, message) for every agreement check of every task that ran."""
    checks = []
    for task, by_impl in outcomes.items():
        if "refnn" in by_impl:
            checks += [(bool(ok), message) for ok, message in task_module(task).compare(by_impl)]
    return checks


def _median(summary, task, measure, impl):
    return summary.get(task, {}).get(measure, {}).get(impl, {}).get("median")


def targets(summary, outcomes):
    """(target, measured, met) for the issue's targets: met is None where a peer was not measured.

    The targets of tasks that did not run are left out.
    """
    rows = []

    def ratio_target(text, task, measure, slow, fast, limit, at_least):
        if task not in summary:
            return
        a, b = _median(summary, task, measure, slow), _median(summary, task, measure, fast)
        if a is None or b is None:
            rows.append((text, "not measured", None))
        else:
            rows.append((text, f"{a / b:.3g}×", a / b >= limit if at_least else a / b <= limit))

    ratio_target("Task 1: refnn at least 500× faster than micrograd", "moons", "100 steps",
                 "micrograd", "refnn", 500, True)
    ratio_target("Task 1: refnn within 45× of NumPy", "moons", "100 steps", "refnn", "numpy", 45, False)
    ratio_target("Task 2: refnn.mlp.train within 1.5× of NumPy", "xor", "60000 iterations",
                 "refnn", "numpy", 1.5, False)
    for n in (32, 64, 128):
        ratio_target(f"Task 3: refnn.matmul within 1.1× of zip + sum(map(mul)), n = {n}", "matmul",
                     f"n = {n}", "refnn", "zip + sum(map(mul))", 1.1, False)
    train = _median(summary, "digits", "10 epochs + test", "refnn")
    prepare = _median(summary, "digits", "data: load, split, standardise", "refnn")
    if train is not None:
        accuracy = outcomes["digits"]["refnn"]["accuracy"]
        measured = f"{accuracy:.1%} in {train + prepare:.3g} s (data {prepare:.2g} s, training {train:.3g})"
        rows.append(("Task 4: at least 95 % test accuracy in under 30 s", measured,
                     accuracy >= 0.95 and train + prepare < 30))
    cnn = _median(summary, "cnn", "5 epochs + test", "refnn")
    if cnn is not None:
        accuracy = outcomes["cnn"]["refnn"]["accuracy"]
        cpu = _median(summary, "cnn", "the same, CPU time", "refnn")
        rows.append(("Task 6: the digits CNN at least 95 % test accuracy in under 60 s",
                     f"{accuracy:.1%} in {cnn:.3g} s (CPU {cpu:.3g} s)", accuracy >= 0.95 and cnn < 60))
    for label, limit in (("import", 0.060), ("python -m refnn (the tour)", 3.0)):
        for cache in ("warm cache", "no cache"):
            if "startup" not in summary:
                continue
            seconds = _median(summary, "startup", f"{label} ({cache})", "refnn")
            name = "import refnn" if label == "import" else "python -m refnn"
            text = f"Task 5: {name} under {format_seconds(limit)} ({cache})"
            rows.append((text, format_seconds(seconds), None if seconds is None else seconds < limit))
    return rows


def print_checks_and_targets(checks, target_rows, errors):
    print("\nAgreement checks")
    for ok, message in checks:
        print(f"  {'ok    ' if ok else 'FAILED'} {message}")
    for error in errors:
        print(f"  FAILED {error}")
    print("\nTargets (reported, not enforced)")
    for text, measured, met in target_rows:
        verdict = "not measured" if met is None else "met" if met else "MISSED"
        print(f"  {verdict:12} {text}: {measured}")


# --- the run ------------------------------------------------------------------------

def machine():
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    versions = {}
    for peer in PEERS:
        try:
            versions[peer] = importlib.metadata.version(peer)
        except importlib.metadata.PackageNotFoundError:
            versions[peer] = None
    return {"date": datetime.datetime.now().isoformat(timespec="seconds"), "cpu": cpu,
            "cores": os.cpu_count(), "platform": platform.platform(), "python": sys.version.split()[0],
            "peers": versions}


def profile(task, quick):
    """Run refnn's implementation of a task under cProfile and print the 25 most expensive functions."""
    import cProfile
    import pstats
    profiler = cProfile.Profile()
    profiler.runcall(task_module(task).run, "refnn", quick)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def parse(argv):
    parser = argparse.ArgumentParser(
        description="Benchmark refnn against micrograd, NumPy and PyTorch on the same tasks; "
                    "check that they agree.",
        epilog="Exit status 1 if implementations disagree or crash; timings are never a failure.")
    parser.add_argument("--tasks", default=",".join(TASKS),
                        help=f"comma-separated tasks to run (default: all: {','.join(TASKS)})")
    parser.add_argument("--rounds", type=int, help="rounds of every task in every implementation "
                        "(default 3, or 1 with --quick)")
    parser.add_argument("--quick", action="store_true",
                        help="a short run: 1 round, micrograd 3 steps of the moons demo (its time scaled to "
                             "100), shorter matrix timings, fewer import runs")
    parser.add_argument("--implementations", default="",
                        help="comma-separated implementations besides refnn (default: every installed one)")
    parser.add_argument("--json", default=str(HERE / "results.json"),
                        help="where to write the results as JSON (default: benchmarks/results.json)")
    parser.add_argument("--profile", metavar="TASK", choices=list(TASKS),
                        help="instead of benchmarking, profile refnn's implementation of TASK with cProfile")
    parser.add_argument("--child", nargs=2, metavar=("TASK", "IMPL"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.tasks = [t.strip() for t in args.tasks.split(",") if t.strip()]
    unknown = [t for t in args.tasks if t not in TASKS]
    if unknown:
        parser.error(f"unknown task(s) {', '.join(unknown)}; choose from {', '.join(TASKS)}")
    if args.rounds is None:
        args.rounds = 1 if args.quick else 3
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    args.implementations = {i.strip() for i in args.implementations.split(",") if i.strip()}
    return args


def main(argv=None):
    args = parse(argv)
    if args.child:
        return child(*args.child, args.quick)
    if args.profile:
        return profile(args.profile, args.quick)
    about = machine()
    peers = ", ".join(f"{k} {v}" for k, v in about["peers"].items() if v) or "none"
    print(f"refnn benchmark, {about['date']}: Python {about['python']}, {about['cpu']}, "
          f"{about['cores']} cores; peers: {peers}")
    print(f"{args.rounds} round(s){', quick' if args.quick else ''}: {', '.join(args.tasks)}\n", flush=True)
    started = time.perf_counter()
    times, outcomes, notes, errors = run_rounds(args.tasks, args.rounds, args.quick, args.implementations)
    summary = summarise(times)
    print_table(summary, notes)
    checks = run_checks(outcomes)
    target_rows = targets(summary, outcomes)
    print_checks_and_targets(checks, target_rows, errors)
    failed = [message for ok, message in checks if not ok] + errors
    elapsed = time.perf_counter() - started
    crashed = f", {len(errors)} implementation(s) failed" if errors else ""
    print(f"\n{len(checks) - len(failed) + len(errors)}/{len(checks)} checks passed{crashed}; "
          f"{elapsed:.0f} s in all")
    results = {
        "machine": about, "arguments": {"tasks": args.tasks, "rounds": args.rounds, "quick": args.quick},
        "results": summary, "notes": notes, "errors": errors,
        "checks": [{"ok": ok, "message": message} for ok, message in checks],
        "targets": [{"target": t, "measured": m, "met": met} for t, m, met in target_rows]}
    Path(args.json).write_text(json.dumps(results, indent=1) + "\n")
    print(f"results written to {args.json}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
