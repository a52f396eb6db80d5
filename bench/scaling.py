#!/usr/bin/env python3
"""How edgelint's time grows with the length of one function or module.

Generated code (converted models, unrolled pipelines, data tables written as code) puts
thousands of statements in one function; a rule that reads the whole function again for each
of its findings costs the square of its length there. For each shape below this script writes a
module at a size n and at 4n into target/bench-scaling/, runs `edgelint --select ALL --no-cache`
on each (median CPU time of three runs, and the peak memory), and prints the ratios: about 4
is linear, 16 quadratic. A shape whose time grows over 6x (with the larger run over 0.2 s,
above the clock's noise) or whose peak memory does (with the larger over 64 MiB, above what
the process needs at all) is shown as MISS.

    python3 bench/scaling.py [--size N] [--runs N] [--binary PATH] [--json]

The release binary is built first with cargo, unless `--binary` names another build to measure.
The exit status is 0 unless a command failed.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EDGELINT = REPO / "target" / "release" / "edgelint"
OUT = REPO / "target" / "bench-scaling"
LINEAR_RATIO_LIMIT = 6.0
NOISE_SECONDS = 0.2
NOISE_MIB = 64


def function_of(header, lines, footer=""):
    return header + "".join(lines) + footer


# Each shape takes n and returns a module: one long function (or module, or class) of n parts.
SHAPES = {
    "assignments from calls": lambda n: function_of(
        "import torch\n\ndef run(model, a):\n",
        (f"    x{i} = load(a)\n" for i in range(n)),
        "    return model(a)\n",
    ),
    "reads of one big value": lambda n: function_of(
        "import numpy as np\n\ndef run(path):\n    data = np.load(path)\n",
        (f"    y{i} = data[{i}] + data.sum()\n" for i in range(n)),
        "    while True:\n        wait()\n",
    ),
    "branches that rebind": lambda n: function_of(
        "import json\n\ndef run(path, x):\n    data = json.load(open(path))\n",
        (f"    if c{i}:\n        data = f{i}(data)\n    else:\n        del data\n        data = g(x)\n" for i in range(n)),
        "    while True:\n        serve(data)\n",
    ),
    "loops that grow": lambda n: function_of(
        "import numpy as np\n\ndef run(items):\n    out = []\n    arr = np.zeros(3)\n",
        (f"    for i{i} in items:\n        out.append(i{i})\n        arr = np.append(arr, i{i})\n" for i in range(n)),
        "    return out\n",
    ),
    "attributes set and called": lambda n: function_of(
        "import torch\n\nclass Net(torch.nn.Module):\n    def __init__(self):\n",
        (f"        self.m{i} = load_model({i})\n        self.c{i} = []\n" for i in range(n)),
        "    def forward(self, x):\n" + "".join(f"        x = self.m{i}(x)\n        self.c{i}.append(x)\n" for i in range(n)) + "        return x\n",
    ),
    "methods of one class": lambda n: function_of(
        "import torch\n\nclass Runner:\n",
        (f"    def m{i}(self, x):\n        self.model.eval()\n        y = self.model(x)\n        self.cache{i} = y\n        return self.m{(i + 1) % n}(y)\n" for i in range(n)),
    ),
    "functions calling each other": lambda n: function_of(
        "import time\n\n",
        (f"def f{i}(x):\n    time.sleep(1)\n    return f{(i + 1) % n}(x)\n\n" for i in range(n)),
    ),
    "module containers": lambda n: function_of(
        "CACHE = {}\nITEMS = []\n",
        (f"def put{i}(k, v):\n    CACHE[k] = v\n    ITEMS.append(v)\n" for i in range(n)),
    ),
    "try blocks": lambda n: function_of(
        "import sys\n\ndef run(x):\n",
        (f"    try:\n        y{i} = work(x)\n    except Exception as e{i}:\n        err{i} = sys.exc_info()\n        log(e{i})\n" for i in range(n)),
    ),
    "lists built and read": lambda n: function_of(
        "import pandas as pd\n\ndef run(p):\n    df = pd.read_csv(p)\n",
        (f"    df = df.copy()\n    v{i} = list(df.values)[0]\n    w{i} = [z for z in range(10)]\n    s{i} = sum([q for q in w{i}])\n" for i in range(n)),
        "    return df\n",
    ),
    "comprehensions": lambda n: function_of(
        "def run(xs):\n",
        (f"    r{i} = [x for x in xs if x > {i}]\n    t{i} = len(list(r{i}))\n    for item in r{i}:\n        use(item)\n" for i in range(n)),
    ),
    "training loops": lambda n: function_of(
        "import torch\n\ndef train(model, loader, opt):\n    total = 0\n",
        (f"    for b{i} in loader:\n        loss{i} = model(b{i}).sum()\n        loss{i}.backward()\n        total += loss{i}\n        hist.append(loss{i})\n" for i in range(n)),
        "    return total\n",
    ),
    "slices of one text": lambda n: function_of(
        "def run(path):\n    text = open(path).read()\n",
        (f"    p{i} = text.split(',')[{i % 3}]\n    q{i} = text[{i}:]\n" for i in range(n)),
        "    return p0\n",
    ),
    "noqa comments": lambda n: "".join(
        f"x{i} = list(range(10))[0]  # noqa: EL204, E501\n" for i in range(n)
    ),
}


def measure(binary, path, runs):
    """Median user + system time and highest peak memory (MiB) of `runs` runs of edgelint with
    every rule on `path`."""
    times = []
    peaks = []
    for _ in range(runs):
        process = subprocess.Popen(
            [str(binary), "--select", "ALL", "--no-cache", "-q", str(path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(process.pid, 0)
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            sys.exit(f"edgelint failed on {path}")
        times.append(usage.ru_utime + usage.ru_stime)
        peaks.append(usage.ru_maxrss / 1024)  # KiB on Linux
    return statistics.median(times), max(peaks)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000, help="n, the smaller size")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--binary", type=Path, help="an edgelint build to measure instead")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.binary is None:
        subprocess.run(
            ["cargo", "build", "--release", "--locked", "--bin", "edgelint"],
            cwd=REPO,
            check=True,
        )
    binary = args.binary or EDGELINT
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for name, shape in SHAPES.items():
        times = []
        peaks = []
        for size in (args.size, 4 * args.size):
            path = OUT / f"{name.replace(' ', '_')}_{size}.py"
            path.write_text(shape(size))
            time, peak = measure(binary, path, args.runs)
            times.append(time)
            peaks.append(peak)
        ratio = times[1] / max(times[0], 1e-3)
        peak_ratio = peaks[1] / peaks[0]
        linear = (ratio <= LINEAR_RATIO_LIMIT or times[1] <= NOISE_SECONDS) and (
            peak_ratio <= LINEAR_RATIO_LIMIT or peaks[1] <= NOISE_MIB
        )
        rows.append({
            "shape": name,
            "n": times[0],
            "4n": times[1],
            "ratio": ratio,
            "peak_mib_n": peaks[0],
            "peak_mib_4n": peaks[1],
            "peak_ratio": peak_ratio,
            "linear": linear,
        })
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"CPU time and peak memory with every rule, n = {args.size} and 4n "
          "(about 4x is linear, 16x quadratic):")
    print(f"{'shape':30} {'n':>8} {'4n':>8} {'ratio':>7} {'MiB n':>7} {'MiB 4n':>7} {'ratio':>6}")
    for row in rows:
        verdict = "PASS" if row["linear"] else "MISS"
        print(
            f"{row['shape']:30} {row['n']:7.3f}s {row['4n']:7.3f}s {row['ratio']:6.1f}x "
            f"{row['peak_mib_n']:7.1f} {row['peak_mib_4n']:7.1f} {row['peak_ratio']:5.1f}x  {verdict}"
        )


if __name__ == "__main__":
    main()
