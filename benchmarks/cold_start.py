"""Cold start: a fresh Python process imports the runtime, loads the model and gives its
first answer; lenet beside ONNX Runtime, alternated (A B A B), medians of --rounds.

    python3 benchmarks/cold_start.py MODEL.lenet [--rounds 21]

Each round starts new interpreters (`python3 -c ...`) that time, with numpy already
imported: the runtime's import, the model's load, the first prediction of one digit, and
their sum; the process's whole life (interpreter start-up included) is timed from outside.
ONNX Runtime runs the same network exported from the model (compare.py's export: needs
torch, onnx and onnxruntime). lenet is imported from bindings/python with build/lib's
library, as `make test-python` runs it (LENET_LIBRARY)."""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))

LENET = """
import time, json, numpy as np
t0 = time.perf_counter()
import lenet
t1 = time.perf_counter()
m = lenet.Model.load({model!r})
t2 = time.perf_counter()
m.predict(np.zeros((1, 28, 28), np.uint8))
t3 = time.perf_counter()
print(json.dumps([t1 - t0, t2 - t1, t3 - t2]))
"""

ORT = """
import time, json, numpy as np
t0 = time.perf_counter()
import onnxruntime as ort
t1 = time.perf_counter()
s = ort.InferenceSession({model!r}, providers=["CPUExecutionProvider"])
t2 = time.perf_counter()
s.run(None, {{"x": np.zeros((1, 1, 32, 32), np.float32)}})
t3 = time.perf_counter()
print(json.dumps([t1 - t0, t2 - t1, t3 - t2]))
"""


def once(code, env):
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out) + [time.perf_counter() - start]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("model")
    p.add_argument("--rounds", type=int, default=21)
    args = p.parse_args()
    from compare import export
    _, onnx_path = export(args.model)
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "bindings", "python"),
               LENET_LIBRARY=os.environ.get("LENET_LIBRARY", os.path.join(ROOT, "build", "lib", "liblenet.so")))
    runs = {"lenet": [], "onnxruntime": []}
    codes = {"lenet": LENET.format(model=os.path.abspath(args.model)), "onnxruntime": ORT.format(model=onnx_path)}
    for name in codes:  # a warm-up each: the files in the page cache, as for a user's second run
        once(codes[name], env)
    for _ in range(args.rounds):
        for name in codes:
            runs[name].append(once(codes[name], env))
    import onnxruntime
    print(f"medians of {args.rounds} alternated rounds, ms (onnxruntime {onnxruntime.__version__}; numpy imported first)")
    print(f"{'':<12} {'import':>8} {'load':>8} {'first':>8} {'sum':>8} {'process':>8}")
    for name, rows in runs.items():
        med = [statistics.median(r[i] for r in rows) * 1000 for i in range(4)]
        total = statistics.median(sum(r[:3]) for r in rows) * 1000
        print(f"{name:<12} {med[0]:>8.1f} {med[1]:>8.1f} {med[2]:>8.1f} {total:>8.1f} {med[3]:>8.1f}")


if __name__ == "__main__":
    main()
