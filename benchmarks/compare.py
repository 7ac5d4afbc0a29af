#!/usr/bin/env python3
"""lenet vs ONNX Runtime vs OpenVINO vs PyTorch, float32 inference on the same weights.

The model goes .lenet -> .pth (`lenet convert`) -> PyTorch -> ONNX, which ONNX Runtime and
OpenVINO both read, so all four run the same numbers (checked: logits agree within 1e-4).
For each thread count and batch size they run back to back in rounds (A B C D A B C D ...),
and the table shows medians; "vs best" is lenet against the faster of ONNX Runtime and
OpenVINO. OpenVINO compiles one model per batch size (static shape, the LATENCY hint,
INFERENCE_NUM_THREADS = threads, f32 precision).

    pip install torch==2.13.0+cpu onnx onnxruntime openvino numpy
    make lib build && python3 benchmarks/compare.py models/lenet_mnist.lenet

On an AVX-512 machine, `scripts/as-avx2 python3 benchmarks/compare.py ...` measures the
AVX2 level like for like: it hides AVX-512, AMX and VNNI from CPUID (Linux's CPUID
faulting), so each runtime, ONNX Runtime included, picks its AVX2 kernels by itself (the
header line shows lenet's level and OpenVINO's convolution primitive). LENET_CPU=avx2 and
ONEDNN_MAX_CPU_ISA=AVX2 hold back only lenet and OpenVINO.
"""
import argparse
import gzip
import warnings
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))


def digits(n):
    with gzip.open(os.path.join(ROOT, "data", "mnist", "t10k-images-idx3-ubyte.gz")) as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
    x = np.zeros((n, 1, 32, 32), np.float32)
    x[:, 0, 2:30, 2:30] = images[np.arange(n) % len(images)] / 255.0
    return np.ascontiguousarray((x - 0.1307) / 0.3081, dtype=np.float32)


def rate(fn, batch, seconds):
    """Median images/s over runs of repeated calls within `seconds`."""
    for _ in range(3):
        fn()
    t0 = time.perf_counter()
    fn()
    calls = max(1, int(0.005 / max(time.perf_counter() - t0, 1e-7)))
    rates, end = [], time.perf_counter() + seconds
    while time.perf_counter() < end or len(rates) < 3:
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        rates.append(calls * batch / (time.perf_counter() - t0))
    return statistics.median(rates)


def export(model_path):
    """The model as a PyTorch module (via `lenet convert` to .pth) and as an ONNX file."""
    import torch
    from torch_lenet import LeNet
    tmp = tempfile.mkdtemp()
    pth, onnx_path = os.path.join(tmp, "m.pth"), os.path.join(tmp, "m.onnx")
    subprocess.run([os.path.join(ROOT, ".build", "release", "lenet"), "convert", model_path, pth], check=True, capture_output=True)
    net = LeNet().eval()
    net.load_state_dict(torch.load(pth, weights_only=True))
    warnings.filterwarnings("ignore", category=DeprecationWarning)  # the TorchScript exporter needs no onnxscript
    torch.onnx.export(net, torch.from_numpy(digits(1)), onnx_path, input_names=["x"], output_names=["logits"],
                      dynamic_axes={"x": {0: "n"}, "logits": {0: "n"}}, dynamo=False)
    return net, onnx_path


def round_robin(fns, batch, seconds, rounds):
    """Median images/s of each function, measured in rounds (A B C A B C ...) so the
    machine's fast and slow phases hit all of them."""
    samples = {k: [] for k in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            samples[name].append(rate(fn, batch, seconds))
    return {k: statistics.median(v) for k, v in samples.items()}


def ort_session(path, threads):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def openvino_runner(path, threads, batch):
    """A function running OpenVINO's CPU plugin on one batch of `batch` images."""
    import openvino as ov
    core = ov.Core()
    model = core.read_model(path)
    model.reshape({"x": [batch, 1, 32, 32]})
    compiled = core.compile_model(model, "CPU", {
        "PERFORMANCE_HINT": "LATENCY", "INFERENCE_NUM_THREADS": threads, "INFERENCE_PRECISION_HINT": "f32",
    })
    request = compiled.create_infer_request()
    return lambda xb: request.infer({0: xb}, share_inputs=True)


def openvino_isa(path):
    """The primitive OpenVINO's CPU plugin picked for the first convolution (e.g.
    brgconv_avx512 or jit_avx2), from its execution graph: shows whether
    ONEDNN_MAX_CPU_ISA took effect."""
    import openvino as ov
    compiled = ov.Core().compile_model(path, "CPU", {"INFERENCE_PRECISION_HINT": "f32"})
    for op in compiled.get_runtime_model().get_ordered_ops():
        info = op.get_rt_info()
        if info["layerType"].astype(str) == "Convolution":
            return info["primitiveType"].astype(str)
    return "unknown"


def arguments(doc):
    """The options both comparison scripts take."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", help="a float model")
    ap.add_argument("--batch", type=int, nargs="+", default=[1, 64, 1000])
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--seconds", type=float, default=1.0, help="per measurement and round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-torch", action="store_true", help="leave PyTorch eager out of the rounds")
    return ap.parse_args()


def main():
    args = arguments(__doc__)

    import lenet
    import onnxruntime as ort
    import openvino as ov
    import torch

    net, onnx_path = export(args.model)
    x = digits(max(args.batch + [64]))  # the agreement checks below use 64 digits
    model = lenet.Model.load(args.model)
    with torch.no_grad():
        reference = net(torch.from_numpy(x[:64])).numpy()
    assert np.abs(model.predict(x[:64], "logits")[1] - reference).max() < 1e-4, "lenet and PyTorch disagree"
    ov_check = openvino_runner(onnx_path, 1, 64)(x[:64])
    assert np.abs(next(iter(ov_check.values())) - reference).max() < 1e-4, "OpenVINO and PyTorch disagree"

    levels = os.popen(os.path.join(ROOT, ".build", "release", "lenet") + " --version").read().splitlines()[1:]
    print(f"lenet {lenet.__version__} ({'; '.join(levels)}), onnxruntime {ort.__version__}, "
          f"openvino {ov.__version__.split('-')[0]} (ONEDNN_MAX_CPU_ISA={os.environ.get('ONEDNN_MAX_CPU_ISA', 'unset')}; "
          f"conv: {openvino_isa(onnx_path)}), "
          f"torch {torch.__version__}; medians of {args.rounds} rounds, images/s")
    print(f"{'threads':>7} {'batch':>6} {'lenet':>10} {'onnxrt':>10} {'openvino':>10} {'torch':>10} {'vs ort':>7} {'vs ov':>7} {'vs best':>8}")
    for threads in args.threads:
        lenet.set_num_threads(threads)
        torch.set_num_threads(threads)
        session = ort_session(onnx_path, threads)
        for batch in args.batch:
            xb = np.ascontiguousarray(x[:batch])
            xt = torch.from_numpy(xb)
            run_ov = openvino_runner(onnx_path, threads, batch)
            fns = {
                "lenet": lambda: model.predict(xb, "logits"),
                "onnxrt": lambda: session.run(None, {"x": xb}),
                "openvino": lambda: run_ov(xb),
            }
            if not args.no_torch:
                fns["torch"] = lambda: net(xt)
            with torch.no_grad():
                m = round_robin(fns, batch, args.seconds, args.rounds)
            best = max(m["onnxrt"], m["openvino"])
            torch_rate = f"{m['torch']:>10.0f}" if "torch" in m else f"{'-':>10}"
            print(f"{threads:>7} {batch:>6} {m['lenet']:>10.0f} {m['onnxrt']:>10.0f} {m['openvino']:>10.0f} {torch_rate} "
                  f"{m['lenet'] / m['onnxrt']:>6.2f}x {m['lenet'] / m['openvino']:>6.2f}x {m['lenet'] / best:>7.2f}x", flush=True)


if __name__ == "__main__":
    main()
