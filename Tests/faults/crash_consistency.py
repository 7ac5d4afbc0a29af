#!/usr/bin/env python3
"""Faults a user's machine has: the CLI killed with SIGKILL at random moments, a full disk,
a read-only or missing directory. Run by `make test-faults`:

    python3 crash_consistency.py LENET_CLI DATA_DIR MODEL.lenet WORK_DIR [KILLS]

After every kill the output is either absent or a complete file that loads and, for
training, resumes. Temporary files a kill leaves (NAME.tmp-PID) are gone after the next
save to the same path. A save that cannot happen fails with a clear message before the
work starts and leaves the previous file as it was. Ends with "N passed, N failed"."""
import glob
import hashlib
import os
import random
import signal
import subprocess
import sys
import time

cli, data, model, work = sys.argv[1:5]
kills = int(sys.argv[5]) if len(sys.argv) > 5 else 30
rng = random.Random(1)
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL", what, file=sys.stderr)


def run(*args, **kw):
    return subprocess.run([cli, *args], capture_output=True, text=True, **kw)


def killed_run(args, before):
    p = subprocess.Popen([cli, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(before)
    p.send_signal(signal.SIGKILL)
    p.wait()


def duration(args):
    """How long an uninterrupted run takes here, so the kills land all over it."""
    start = time.monotonic()
    r = run(*args)
    check(r.returncode == 0, f"{args[0]} without a kill failed: {r.stderr}")
    return time.monotonic() - start


def loads(path, training):
    r = run("inspect", "--json", path)
    return r.returncode == 0 and (not training or '"training.epoch"' in r.stdout), r.stderr


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


os.makedirs(work, exist_ok=True)
train_args = ["train", "--data", data, "--epochs", "3", "--limit", "3000", "--threads", "1"]

# 1. lenet train killed at random moments.
out = os.path.join(work, "killed.lenet")
whole = duration([*train_args, "--output", os.path.join(work, "whole.lenet")])
present = 0
for i in range(kills):
    if os.path.exists(out):
        os.remove(out)
    killed_run([*train_args, "--output", out], rng.uniform(0.0, 1.1 * whole))
    if os.path.exists(out):
        present += 1
        ok, err = loads(out, training=True)
        check(ok, f"kill {i}: {out} does not load: {err}")
        if ok and i % 10 == 0:
            r = run("train", "--resume", out, "--output", os.path.join(work, "resumed.lenet"))
            check(r.returncode == 0 or "already completed" in r.stderr, f"kill {i}: resume failed: {r.stderr}")
leftovers = glob.glob(out + ".tmp-*")
# What a kill during the write itself leaves (rare above): a temporary file of a process
# that is gone. One of a live process (this script) must survive the cleanup.
dead = subprocess.Popen(["true"])
dead.wait()
for pid in (dead.pid, os.getpid()):
    with open(f"{out}.tmp-{pid}", "wb") as f:
        f.write(b"partial")
r = run(*train_args, "--epochs", "1", "--output", out)
check(r.returncode == 0, f"a run after the kills failed: {r.stderr}")
check(glob.glob(out + ".tmp-*") == [f"{out}.tmp-{os.getpid()}"],
      f"after the next save, temporary files are {glob.glob(out + '.tmp-*')}")
os.remove(f"{out}.tmp-{os.getpid()}")
print(f"train: {kills} kills over its {whole:.1f}s, checkpoint present after {present}, all loadable; "
      f"{len(leftovers)} temporary files left by kills, removed by the next save")

# 2. lenet convert and lenet quantize killed at random moments.
for name, args, out in (("convert", ["convert", model], os.path.join(work, "killed.safetensors")),
                        ("quantize", ["quantize", model, "--calibration-images", "200", "-o"],
                         os.path.join(work, "killed-int8.lenet"))):
    whole = duration([*args, os.path.join(work, "whole-" + os.path.basename(out))])
    present = 0
    for i in range(kills // 2):
        if os.path.exists(out):
            os.remove(out)
        killed_run([*args, out], rng.uniform(0.0, 1.1 * whole))
        if os.path.exists(out):
            present += 1
            ok, err = loads(out, training=False)
            check(ok, f"{name} kill {i}: {out} does not load: {err}")
    print(f"{name}: {kills // 2} kills over its {whole:.2f}s, output present after {present}, always loadable")

# 3. Destinations that cannot be written: the error comes before the work, and an
#    existing checkpoint stays as it was.
missing = run("convert", model, os.path.join(work, "no", "such", "dir", "x.lenet"))
check(missing.returncode != 0 and "no/such/dir" in missing.stderr, f"convert into a missing directory: {missing.stderr}")


def mounted(path, options):
    os.makedirs(path, exist_ok=True)
    subprocess.run(["umount", path], capture_output=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", path], capture_output=True).returncode == 0


full = os.path.join(work, "full")
if os.geteuid() == 0 and mounted(full, "size=1m"):
    try:
        old = os.path.join(full, "m.lenet")
        r = run(*train_args, "--epochs", "1", "--limit", "500", "--output", old)
        check(r.returncode == 0, f"a first checkpoint on the small disk: {r.stderr}")
        before = digest(old)
        start = time.monotonic()
        r = run(*train_args, "--output", old)
        check(r.returncode != 0 and "No space left" in r.stderr, f"train onto a full disk: {r.returncode} {r.stderr}")
        check("epoch" not in r.stdout, f"train onto a full disk spent epochs first: {r.stdout}")
        check(digest(old) == before and not glob.glob(old + ".tmp-*"), "the previous checkpoint changed")
        print(f"full disk: refused in {time.monotonic() - start:.2f}s before training, previous checkpoint intact")
    finally:
        subprocess.run(["umount", full], capture_output=True)
    readonly = os.path.join(work, "readonly")
    if mounted(readonly, "size=1m,ro"):
        try:
            r = run(*train_args, "--output", os.path.join(readonly, "m.lenet"))
            check(r.returncode != 0 and "Read-only" in r.stderr and "epoch" not in r.stdout,
                  f"train into a read-only directory: {r.stderr}")
            print("read-only directory: refused before training")
        finally:
            subprocess.run(["umount", readonly], capture_output=True)
else:
    print("full disk and read-only directory: skipped (mounting a tmpfs needs root and a kernel that allows it)")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
