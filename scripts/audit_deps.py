"""Run pip-audit over the installed dependencies and say in one line what it could check.

Fails (exit 1) when a known vulnerability is found. Where pip-audit cannot reach its data
(no network, a mirror without the vulnerability service) it says so and exits 0: an audit
that could not run must not pass for one that found nothing."""

from __future__ import annotations

import json
import subprocess
import sys

TIMEOUT = 120


def main() -> int:
    """Audit; print the summary line (and any vulnerability); return the exit status."""
    try:
        run = subprocess.run([sys.executable, "-m", "pip_audit", "-f", "json",
                              "--progress-spinner", "off"], capture_output=True, text=True,
                             timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        print(f"pip-audit SKIPPED: no answer from its vulnerability data within {TIMEOUT} s")
        return 0
    try:
        deps = json.loads(run.stdout)["dependencies"]
    except (ValueError, KeyError):
        reason = (run.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"pip-audit SKIPPED: it could not run ({reason[:200]})")
        return 0
    skipped = [d for d in deps if "skip_reason" in d]
    vulnerable = [(d["name"], d["version"], v["id"]) for d in deps for v in d.get("vulns", [])]
    for name, version, vuln in vulnerable:
        print(f"pip-audit: {name} {version} has {vuln}")
    if len(skipped) == len(deps):
        print(f"pip-audit SKIPPED: none of the {len(deps)} dependencies could be checked "
              f"(e.g. {skipped[0]['skip_reason'][:120]!r}); the package index here offers "
              "no vulnerability data")
        return 0
    print(f"pip-audit: {len(deps) - len(skipped)} of {len(deps)} dependencies checked, "
          f"{len(vulnerable)} known vulnerabilit{'y' if len(vulnerable) == 1 else 'ies'}")
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
