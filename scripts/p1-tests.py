#!/usr/bin/env python3
"""Prints the table of docs/compat.md "The P1 actions and their tests": each P1 action
of the VPC research spec (../shared/spec/vpc/README.md, or the path given) with the
e2e test methods (tests/e2e/test_v_*.py) that name it. Run from the repository root;
paste its output over the table when tests or actions change."""

import ast
import glob
import os
import re
import sys

ROW = re.compile(r'^\| `(\w+)` \|[^|]*\|[^|]*\|[^|]*\| P1 \|', re.M)


def test_methods():
    """{module.Class.method: set of the string constants in its body}"""
    out = {}
    for path in sorted(glob.glob("tests/e2e/test_v_*.py")):
        src = open(path, encoding="utf-8").read()
        mod = os.path.basename(path)[:-3]
        for cls in (n for n in ast.parse(src).body if isinstance(n, ast.ClassDef)):
            for fn in cls.body:
                if isinstance(fn, ast.FunctionDef) and fn.name.startswith("test"):
                    consts = {n.value for n in ast.walk(fn)
                              if isinstance(n, ast.Constant) and isinstance(n.value, str)}
                    out["%s.%s.%s" % (mod, cls.name, fn.name)] = consts
    return out


def main():
    spec_path = sys.argv[1] if len(sys.argv) > 1 else "../shared/spec/vpc/README.md"
    spec = open(spec_path, encoding="utf-8").read()
    vpc_from = spec.index("Counts: **P1 13**")  # the /vpc/v2 table follows this line
    tests = test_methods()
    print("| API | action | tests |")
    print("|---|---|---|")
    n = 0
    for m in ROW.finditer(spec):
        action = m.group(1)
        api = "/vserver/v2" if m.start() < vpc_from else "/vpc/v2"
        names = [t for t, consts in tests.items() if action in consts]
        print("| %s | `%s` | %s |" % (api, action, ", ".join("`%s`" % t for t in names) or
                                      "**none**"))
        n += 1
    print("%d P1 actions" % n, file=sys.stderr)


if __name__ == "__main__":
    main()
