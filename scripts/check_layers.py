#!/usr/bin/env python3
"""Holds LeNetCore to the dependency rule of docs/architecture.md: the table "LeNetCore's
folders, and which may use which" lists, per folder, the folders its files may use. A file
uses a folder when it names a type, function or constant declared only there (Swift has no
imports between folders of one module, so the names are what there is to check). Also: only
Support/ imports the C library (Glibc, Musl). Exits 1 naming each file that breaks the rule."""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
CORE = os.path.join(ROOT, "Sources", "LeNetCore")
DOC = os.path.join(ROOT, "docs", "architecture.md")

DECLARATION = re.compile(
    r"^(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|private|fileprivate|static|final|nonisolated\(unsafe\))\s+)*"
    r"(?:struct|enum|class|protocol|typealias|func|let|var)\s+([A-Za-z_]\w*)", re.M)


def rule():
    allowed = {}
    for line in open(DOC):
        m = re.match(r"\|\s*`(\w+)/`\s*\|\s*([^|]*)\|", line)
        if m:
            uses = m.group(2).strip()
            allowed[m.group(1)] = None if uses == "every folder" else {w for w in re.findall(r"\w+", uses) if w[0].isupper()}
    return allowed


def sources():
    for folder in sorted(os.listdir(CORE)):
        for name in sorted(os.listdir(os.path.join(CORE, folder))):
            if name.endswith(".swift"):
                path = os.path.join(CORE, folder, name)
                yield folder, path, open(path).read()


def main():
    allowed = rule()
    files = list(sources())
    owners = {}
    for folder, _, text in files:
        # Top-level declarations only (at the line's start): members are reached through their type.
        for m in DECLARATION.finditer(text):
            owners.setdefault(m.group(1), set()).add(folder)
    problems = []
    for folder in sorted({f for f, _, _ in files}):
        if folder not in allowed:
            problems.append(f"Sources/LeNetCore/{folder}/ is not in the table of docs/architecture.md")
    for folder, path, text in files:
        rel = os.path.relpath(path, ROOT)
        code = re.sub(r"//.*", "", text)
        if folder != "Support" and re.search(r"^\s*import\s+(Glibc|Musl)\b", code, re.M):
            problems.append(f"{rel}: imports the C library; reach it through Support/ (LibC, FileIO, the clock)")
        may = allowed.get(folder)
        if may is None:
            continue
        for word in sorted(set(re.findall(r"\b[A-Za-z_]\w*\b", code))):
            where = owners.get(word, set())
            if len(where) == 1:
                other = next(iter(where))
                if other != folder and other not in may:
                    problems.append(f"{rel}: uses {word} from {other}/, which {folder}/ may not use")
    for p in problems:
        print(p)
    if problems:
        print("(the rule: docs/architecture.md, \"LeNetCore's folders, and which may use which\")")
        return 1
    print(f"layers: {len(files)} files in {len(allowed)} folders keep the rule of docs/architecture.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
