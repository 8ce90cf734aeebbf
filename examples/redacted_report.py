"""Write a redacted HTML report that can leave the compliance team.

    T86AUDIT_REDACT_KEY=$(python -c "import secrets; print(secrets.token_hex(32))") \\
        python examples/redacted_report.py --output /tmp/redacted.html

Consignee and seller names and addresses become keyed pseudonyms ("Consignee-3f9a2c1d0e"); entry
numbers, HTS numbers, values and findings stay, so whoever holds the key can trace every finding
back to the party. Keep the key with the compliance team, never with the report.
"""

import argparse
import sys
from pathlib import Path

import t86audit
from t86audit.redact import read_key


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="*", default=["examples/data/entries.csv"])
    parser.add_argument("--output", required=True, help="where to write the HTML report")
    parser.add_argument("--key-file", help="redaction key file (default: $T86AUDIT_REDACT_KEY)")
    args = parser.parse_args(argv)

    key = read_key(args.key_file)  # a clear error when no key is given
    report = t86audit.audit(t86audit.load(*args.paths), redact_key=key)
    Path(args.output).write_text(report.render("html"), encoding="utf-8")
    print(f"redacted report of {len(report.entries)} entries written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
