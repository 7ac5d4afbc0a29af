#!/usr/bin/env python3
"""int8 inference: lenet's int8 path vs its float path vs ONNX Runtime's and OpenVINO's
static int8 quantizations of the same model, and against the two peers' float32 runs
of it (the "vs f32" column: lenet's int8 over the faster of them).

All three quantize the same float weights with the same calibration set (the first 1,000
MNIST training digits): lenet with `Model.quantize` (what `lenet quantize` does),
ONNX Runtime with `quantize_static` (per-channel int8 weights, uint8 activations, MinMax
calibration, QDQ format, the one its CPU provider fuses into integer kernels), OpenVINO
with NNCF's post-training `nncf.quantize` (its defaults: the "performance" preset, int8
weights and activations) on the ONNX model read by OpenVINO. Prints the test accuracy of
every model, then throughput in rounds (A B C A B C ...), medians. OpenVINO runs as in
compare.py (static shape per batch, LATENCY hint); the header line names OpenVINO's
int8 convolution primitive (avx512_amx, avx512_vnni, avx2, ...).

    pip install torch==2.13.0+cpu onnx onnxruntime openvino nncf numpy
    make lib build && python3 benchmarks/compare_int8.py models/lenet_mnist.lenet

On an AVX-512 machine, `scripts/as-avx2 python3 benchmarks/compare_int8.py ...` runs every
runtime as on an AVX2 machine without VNNI (see compare.py).
"""
import gzip
import os
import sys
import tempfile

import numpy as np

from compare import ROOT, arguments, digits, export, openvino_isa, openvino_runner, ort_session, round_robin


def mnist(split, n=None):
    prefix = "train" if split == "train" else "t10k"
    with gzip.open(os.path.join(ROOT, "data", "mnist", f"{prefix}-images-idx3-ubyte.gz")) as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
    with gzip.open(os.path.join(ROOT, "data", "mnist", f"{prefix}-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    return images[:n], labels[:n]


def normalised(images):
    x = np.zeros((len(images), 1, 32, 32), np.float32)
    x[:, 0, 2:30, 2:30] = images / 255.0
    return np.ascontiguousarray((x - 0.1307) / 0.3081, dtype=np.float32)


def ort_int8(onnx_path, calibration):
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
    from onnxruntime.quantization.shape_inference import quant_pre_process

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.batches = iter([{"x": calibration[i:i + 100]} for i in range(0, len(calibration), 100)])

        def get_next(self):
            return next(self.batches, None)

    tmp = tempfile.mkdtemp()
    pre, out = os.path.join(tmp, "pre.onnx"), os.path.join(tmp, "int8.onnx")
    quant_pre_process(onnx_path, pre)
    quantize_static(pre, out, Reader(), quant_format=QuantFormat.QDQ, per_channel=True,
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
    return out


def openvino_int8(onnx_path, calibration):
    """The ONNX model quantized by NNCF for OpenVINO, saved as OpenVINO IR: its .xml path."""
    import nncf
    import openvino as ov
    model = ov.Core().read_model(onnx_path)
    dataset = nncf.Dataset([calibration[i:i + 1] for i in range(len(calibration))])
    out = os.path.join(tempfile.mkdtemp(), "int8.xml")
    ov.save_model(nncf.quantize(model, dataset, subset_size=len(calibration)), out)
    return out


def openvino_logits(path, x):
    """OpenVINO's logits for all of `x` at once."""
    return np.asarray(openvino_runner(path, 2, len(x))(x)[0])


def main():
    args = arguments(__doc__)

    import lenet
    import onnxruntime as ort

    _, onnx_path = export(args.model)
    calibration, _ = mnist("train", 1000)
    test_images, test_labels = mnist("test")
    model = lenet.Model.load(args.model)
    int8 = model.quantize(calibration)
    onnx_int8 = ort_int8(onnx_path, normalised(calibration))
    ov_int8 = openvino_int8(onnx_path, normalised(calibration))

    xt = normalised(test_images)
    accuracy = {
        "lenet f32": model.evaluate((test_images, test_labels))[0],
        "lenet int8": int8.evaluate((test_images, test_labels))[0],
        "onnxrt f32": (ort_session(onnx_path, 2).run(None, {"x": xt})[0].argmax(1) == test_labels).mean(),
        "onnxrt int8": (ort_session(onnx_int8, 2).run(None, {"x": xt})[0].argmax(1) == test_labels).mean(),
        "openvino int8": (openvino_logits(ov_int8, xt).argmax(1) == test_labels).mean(),
    }
    int8_path = os.path.join(tempfile.mkdtemp(), "int8.lenet")
    int8.save(int8_path)
    import openvino as ov
    levels = os.popen(os.path.join(ROOT, ".build", "release", "lenet") + " --version").read().splitlines()[1:]
    print(f"lenet {lenet.__version__} ({'; '.join(levels)}), onnxruntime {ort.__version__}, openvino {ov.__version__.split('-')[0]} "
          f"(ONEDNN_MAX_CPU_ISA={os.environ.get('ONEDNN_MAX_CPU_ISA', 'unset')}; int8 conv: {openvino_isa(ov_int8)})")
    print("MNIST test accuracy (10,000 digits): " + ", ".join(f"{k} {v * 100:.2f}%" for k, v in accuracy.items()))
    print(f"file sizes: lenet int8 {os.path.getsize(int8_path)} bytes, onnxrt int8 {os.path.getsize(onnx_int8)}, "
          f"onnxrt f32 {os.path.getsize(onnx_path)}, openvino int8 {os.path.getsize(ov_int8[:-4] + '.bin')} (weights)")
    print(f"medians of {args.rounds} rounds, images/s; u8 = lenet fed 28x28 uint8 digits (its own normalisation)")
    print(f"{'threads':>7} {'batch':>6} {'lenet f32':>10} {'lenet int8':>10} {'int8 u8':>10} {'ort int8':>10} {'ov int8':>10} "
          f"{'ort f32':>10} {'ov f32':>10} {'int8/f32':>8} {'vs ort':>7} {'vs ov':>7} {'vs f32':>7}")
    x = digits(max(args.batch))
    u8 = np.ascontiguousarray(test_images[np.arange(max(args.batch)) % len(test_images)])
    for threads in args.threads:
        lenet.set_num_threads(threads)
        s8 = ort_session(onnx_int8, threads)
        s32 = ort_session(onnx_path, threads)
        for batch in args.batch:
            xb, ub = np.ascontiguousarray(x[:batch]), u8[:batch]
            run_ov = openvino_runner(ov_int8, threads, batch)
            run_ov32 = openvino_runner(onnx_path, threads, batch)
            fns = {
                "f32": lambda: model.predict(xb, "logits"),
                "int8": lambda: int8.predict(xb, "logits"),
                "u8": lambda: int8.predict(ub, "logits"),
                "ort": lambda: s8.run(None, {"x": xb}),
                "ov": lambda: run_ov(xb),
                "ort f32": lambda: s32.run(None, {"x": xb}),
                "ov f32": lambda: run_ov32(xb),
            }
            m = round_robin(fns, batch, args.seconds, args.rounds)
            best_f32 = max(m["ort f32"], m["ov f32"])
            print(f"{threads:>7} {batch:>6} {m['f32']:>10.0f} {m['int8']:>10.0f} {m['u8']:>10.0f} {m['ort']:>10.0f} {m['ov']:>10.0f} "
                  f"{m['ort f32']:>10.0f} {m['ov f32']:>10.0f} "
                  f"{m['int8'] / m['f32']:>7.2f}x {m['int8'] / m['ort']:>6.2f}x {m['int8'] / m['ov']:>6.2f}x "
                  f"{m['int8'] / best_f32:>6.2f}x", flush=True)


if __name__ == "__main__":
    sys.exit(main())
