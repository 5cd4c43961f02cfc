"""Self-check for the reqmods slice (issue 14; not needed once reqcore's suite check lands).

Run: python tests/reqmods_selfcheck.py
Reads every `verifies(...)` marker in tests/ statically and checks, for the events, design,
devices and suppliers requirements: every requirement has a test, every HIGH one a
refusal=True test, and no marker names an unknown id of these prefixes. Exit 1 if not."""

import ast
import importlib
import sys
from collections import defaultdict
from pathlib import Path

MODULES = {"events": "EVT", "design": "DES", "devices": "DEV", "suppliers": "SUP"}
TESTS = Path(__file__).resolve().parent


def markers():
    found = defaultdict(lambda: [0, 0])  # id -> [tests, refusal tests]
    for path in TESTS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "verifies"):
                continue
            refusal = any(
                k.arg == "refusal" and isinstance(k.value, ast.Constant) and k.value.value
                for k in node.keywords
            )
            for arg in node.args:
                if isinstance(arg, ast.Constant):
                    found[arg.value][0] += 1
                    found[arg.value][1] += refusal
    return found


def main():
    found = markers()
    problems = []
    known = set()
    for module, prefix in MODULES.items():
        try:
            reqs = importlib.import_module(f"openqms.{module}.requirements").REQUIREMENTS
        except ModuleNotFoundError:
            problems.append(f"{module}: no requirements.py")
            continue
        ids = [r.id for r in reqs]
        if len(ids) != len(set(ids)):
            problems.append(f"{module}: duplicate ids")
        known |= set(ids)
        for r in reqs:
            if not r.id.startswith(prefix + "-"):
                problems.append(f"{r.id}: wrong prefix for {module}")
            tests, refusals = found.get(r.id, (0, 0))
            if not tests:
                problems.append(f"{r.id}: no test")
            elif r.risk == "high" and not refusals:
                problems.append(f"{r.id}: HIGH with no refusal test")
        print(f"{module}: {len(reqs)} requirements, {sum(r.risk == 'high' for r in reqs)} high")
    for rid in found:
        if rid.split("-")[0] in MODULES.values() and rid not in known:
            problems.append(f"{rid}: marker names an unknown requirement")
    print("\n".join(problems) or "complete")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
