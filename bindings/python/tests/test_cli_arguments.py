"""The lenet command line: help, version, the ways to spell options, and usage errors
(status 64, the message and the usage on stderr, nothing run)."""
import json
import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
COMMANDS = ["train", "eval", "predict", "read", "inspect", "plot", "convert", "quantize", "bench", "synth"]


def run(cli, *args, cwd=None):
    return subprocess.run([cli, *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_version_is_the_headers(cli):
    header = open(os.path.join(ROOT, "include", "lenet.h")).read()
    version = ".".join(re.search(rf"#define LENET_VERSION_{p} (\d+)", header).group(1) for p in ("MAJOR", "MINOR", "PATCH"))
    r = run(cli, "--version")
    assert r.returncode == 0 and r.stdout.splitlines()[0] == f"lenet {version}" and "kernel levels" in r.stdout


def test_help_lists_every_command_and_each_commands_options(cli):
    for args in (["--help"], ["-h"], ["help"], []):
        r = run(cli, *args)
        assert r.returncode == 0 and r.stdout.startswith("OVERVIEW:"), args
        assert all(re.search(rf"^  {c} ", r.stdout, re.M) for c in COMMANDS), args
    for c in COMMANDS:
        shown = run(cli, c, "--help")
        assert shown.returncode == 0 and f"USAGE: lenet {c}" in shown.stdout and "-h, --help" in shown.stdout
        assert run(cli, "help", c).stdout == shown.stdout == run(cli, c, "-h").stdout
    train = run(cli, "train", "--help").stdout
    for option in ("--batch-size <batch-size>", "--augment/--no-augment", "-o, --output <output>", "--init <MODEL>",
                   "--lr-schedule", "--images-share"):
        assert option in train, option
    assert "(default: data/mnist)" in run(cli, "eval", "--help").stdout
    assert re.search(r"USAGE: lenet quantize <model> --output <output> \[<options>\]", run(cli, "quantize", "--help").stdout)


def test_a_value_spelled_every_way_gives_the_same_pictures(cli, tmp_path):
    spellings = {
        "apart": ["--count", "4", "--seed", "9", "--slant", "-0.3,0.1"],
        "joined": ["--count=4", "--seed=9", "--slant=-0.3,0.1"],
        "after_end": ["--count", "4", "--seed", "9", "--slant", "-0.3,0.1", "--"],
    }
    written = {}
    for name, args in spellings.items():
        r = run(cli, "synth", tmp_path / name, *args)
        assert r.returncode == 0, (name, r.stderr)
        written[name] = [open(tmp_path / name / f"{i:05d}.png", "rb").read() for i in range(4)]
    assert written["apart"] == written["joined"] == written["after_end"]
    other = run(cli, "synth", tmp_path / "other", "--count", "4", "--seed", "10")
    assert other.returncode == 0 and open(tmp_path / "other" / "00000.png", "rb").read() != written["apart"][0]


def test_arrays_take_the_words_up_to_the_next_option(cli, model_path):
    r = run(cli, "bench", model_path, "--batch", "1", "3", "--threads", "1", "--seconds", "0.05", "--json",
            "--data", os.path.join(ROOT, "data", "mnist"))
    assert r.returncode == 0, r.stderr
    assert [(x["batch"], x["threads"]) for x in json.loads(r.stdout)["results"]] == [(1, 1), (3, 1)]


def test_after_double_dash_a_dash_word_is_a_file(cli, model_path, tmp_path):
    r = run(cli, "predict", model_path, "--", "-x.png")
    assert r.returncode == 1 and "-x.png" in r.stderr and "Usage:" not in r.stderr


def test_inverted_flags_reach_the_command(cli, tmp_path):
    # Both spellings parse; the run then stops at the missing checkpoint (status 1, not 64).
    for flag in ("--augment", "--no-augment"):
        r = run(cli, "train", "--resume", tmp_path / "missing.lenet", flag)
        assert r.returncode == 1 and "missing.lenet" in r.stderr, (flag, r.stderr)


def test_usage_errors_name_the_problem_and_run_nothing(cli, model_path, tmp_path):
    cases = [
        (["synth", tmp_path / "a", "--bogus"], "unknown option '--bogus'"),
        (["synth", tmp_path / "b", "--count"], "missing value for '--count <count>'"),
        (["synth", tmp_path / "c", "--count", "many"], "'many' is invalid for '--count <count>'"),
        (["train", "--lr", "nan", "-o", tmp_path / "d.lenet"], "'nan' is invalid for '--lr <lr>'"),
        (["bench", model_path, "--input", "f16"], "(one of: f32, u8)"),
        (["eval", model_path, "--json=yes"], "--json takes no value"),
        (["eval"], "missing expected argument '<model>'"),
        (["quantize", model_path], "missing expected option '--output <output>'"),
        (["convert", model_path, tmp_path / "e.pth", "extra"], "unexpected argument 'extra'"),
        (["frobnicate"], "unknown command 'frobnicate'"),
        (["--frobnicate"], "unknown option '--frobnicate'"),
    ]
    for args, says in cases:
        r = run(cli, *args)
        assert r.returncode == 64 and says in r.stderr and "Usage: lenet" in r.stderr, (args, r.stderr)
        assert r.stdout == "", args
    assert not any((tmp_path / n).exists() for n in ("a", "b", "c", "d.lenet", "e.pth"))
