"""Write each hand case as CSV, audit it with the CLI, compare (code, entry) pairs with the expectation."""
import json, os, subprocess, sys
sys.path.insert(0, os.path.dirname(__file__))
from base import write
from cases import CASES

os.makedirs("csv", exist_ok=True); os.makedirs("out", exist_ok=True)
env = dict(os.environ, PYTHONPATH="/tmp/wt-rules/src")
only = sys.argv[1:]
agree = 0
for c in CASES:
    if only and not any(o in c["name"] for o in only):
        continue
    path = f"csv/{c['name']}.csv"
    write(path, c["rows"], **c["opts"])
    out = f"out/{c['name']}.json"
    subprocess.run([sys.executable, "-m", "t86audit", "audit", path, "--jobs", "1", "--format", "json", "-o", out,
                    "--force"], env=env, capture_output=True)
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(path):
        print("FAIL", c["name"]); continue
    rep = json.load(open(out))
    got = {(f["code"], f["entry_number"]) for f in rep["findings"]}
    ok = got == c["expected"] and not rep["load_errors"]
    agree += ok
    print(("OK  " if ok else "DIFF"), c["name"], "|", c["ref"])
    if not ok:
        for x in sorted(c["expected"] - got): print("    missing:", x)
        for x in sorted(got - c["expected"]): print("    extra:  ", x)
        for e in rep["load_errors"]: print("    load error:", e)
        for fd in rep["findings"]:
            if (fd["code"], fd["entry_number"]) in got ^ c["expected"]:
                print("      ", fd["code"], fd["entry_number"], fd["line_number"], fd["message"][:220])
print(f"{agree} cases agree")
