"""Known vulnerabilities in the hash-pinned lock, said plainly (`make audit`).

    .venv/bin/python scripts/audit_dependencies.py [requirements/base.txt ...]
    .venv/bin/python scripts/audit_dependencies.py --report pip-audit.json   (an existing report)

Runs pip-audit over each lock and reads its JSON report, because pip-audit alone cannot be
trusted to fail: without ``--strict`` a package the vulnerability service does not answer for
is skipped and the run still ends "No known vulnerabilities found"; with ``--strict`` one
unanswered package hides every finding about the others. Here:

- a known vulnerability: each one is listed with its fix, exit status 1;
- every package audited, nothing found: one line saying so, exit status 0;
- the service did not answer (offline, a mirror without PyPI's per-version JSON API, …):
  "NOT AUDITED", how many packages and why, and exit status 0 unless ``--require-service``
  (or AUDIT_REQUIRE_SERVICE=1), so a machine that cannot reach it says so instead of
  failing silently or passing silently.
"""

import argparse
import json
import os
import subprocess  # nosec B404: runs pip-audit from this virtualenv
import sys
import tempfile
from pathlib import Path

PIP_AUDIT = Path(sys.executable).with_name("pip-audit")


def say(*lines: str) -> None:
    sys.stdout.write("".join(f"{line}\n" for line in lines))


def run_pip_audit(lock: Path) -> tuple[dict | None, str]:
    """pip-audit's JSON report for *lock*, or None and the reason it gave none."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        result = subprocess.run(  # noqa: S603  # nosec B603
            [
                str(PIP_AUDIT), "--disable-pip", "--require-hashes", "-r", str(lock),
                "--format", "json", "--output", str(out), "--progress-spinner", "off",
            ],
            capture_output=True,
            text=True,
            check=False,
        )  # fmt: skip
        if out.exists() and out.stat().st_size:
            return json.loads(out.read_text()), ""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    return None, lines[-1] if lines else f"pip-audit exited with status {result.returncode}"


def verdict(report: dict, *, source: str) -> tuple[int, list[str], int]:
    """(vulnerabilities found, lines to print, packages not audited) for one report."""
    dependencies = report.get("dependencies", [])
    found, lines, skipped = 0, [], []
    for dep in dependencies:
        if "skip_reason" in dep:
            skipped.append(dep)
            continue
        for vuln in dep.get("vulns", []):
            found += 1
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            lines.append(
                f"VULNERABLE {dep['name']} {dep.get('version', '?')}: {vuln.get('id', '?')}"
                f" (fixed in: {fixes})"
            )
    audited = len(dependencies) - len(skipped)
    if skipped:
        reason = skipped[0]["skip_reason"]
        lines.append(
            f"NOT AUDITED: {len(skipped)} of {len(dependencies)} packages in {source}: the "
            f"vulnerability service did not answer for them (e.g. {reason}). Nothing is "
            "known about them; audit where PyPI's JSON API answers (AUDIT_REQUIRE_SERVICE=1 "
            "makes this an error)."
        )
    if not found and audited:
        lines.append(
            f"{source}: {audited} of {len(dependencies)} locked packages audited, "
            "no known vulnerabilities among them"
        )
    return found, lines, len(skipped)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("locks", nargs="*", type=Path, default=[Path("requirements/base.txt")])
    parser.add_argument("--report", type=Path, help="read this pip-audit JSON report instead")
    parser.add_argument(
        "--require-service",
        action="store_true",
        default=os.environ.get("AUDIT_REQUIRE_SERVICE") == "1",
        help="fail (exit status 2) when some package could not be audited",
    )
    args = parser.parse_args(argv)
    if args.report:
        reports = [(str(args.report), json.loads(args.report.read_text()), "")]
    else:
        reports = [(str(lock), *run_pip_audit(lock)) for lock in args.locks]
    status, unaudited = 0, 0
    for source, report, problem in reports:
        if report is None:
            say(f"NOT AUDITED: {source}: the vulnerability service gave no report: {problem}")
            unaudited += 1
            continue
        found, lines, skipped = verdict(report, source=source)
        say(*lines)
        if found:
            status = 1
        unaudited += skipped
    if status == 0 and unaudited and args.require_service:
        return 2
    return status


if __name__ == "__main__":
    sys.exit(main())
