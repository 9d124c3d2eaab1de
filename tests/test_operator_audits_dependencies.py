"""The operator runs `make audit`: a known vulnerability in the lock fails it, naming the
package and its fix, and packages the vulnerability service did not answer for are reported
as not audited instead of passing silently."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def audit(tmp_path, dependencies, **env):
    report = tmp_path / "pip-audit.json"
    report.write_text(json.dumps({"dependencies": dependencies, "fixes": []}))
    return subprocess.run(  # noqa: S603
        [sys.executable, "scripts/audit_dependencies.py", "--report", str(report)],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_known_vulnerability_fails_the_audit_and_names_the_fix(tmp_path):
    result = audit(
        tmp_path,
        [
            {"name": "django", "version": "6.1.3", "vulns": [
                {"id": "PYSEC-2026-1", "fix_versions": ["6.1.4"], "aliases": [], "description": ""}
            ]},
            {"name": "redis", "version": "7.0.0", "vulns": []},
        ],
    )  # fmt: skip

    assert result.returncode == 1
    assert "VULNERABLE django 6.1.3: PYSEC-2026-1 (fixed in: 6.1.4)" in result.stdout
    assert "no known vulnerabilities" not in result.stdout


def test_a_clean_lock_passes_and_says_how_many_packages_were_audited(tmp_path):
    result = audit(
        tmp_path,
        [
            {"name": "django", "version": "6.1.3", "vulns": []},
            {"name": "redis", "version": "7.0.0", "vulns": []},
        ],
    )

    assert result.returncode == 0
    assert "2 of 2 locked packages audited, no known vulnerabilities" in result.stdout
    assert "NOT AUDITED" not in result.stdout


def test_packages_the_service_did_not_answer_for_are_reported_not_passed(tmp_path):
    dependencies = [
        {"name": "django", "version": "6.1.3", "vulns": []},
        {"name": "asgiref", "skip_reason": "Dependency not found on PyPI and could not be audited"},
    ]

    lenient = audit(tmp_path, dependencies)
    strict = audit(tmp_path, dependencies, AUDIT_REQUIRE_SERVICE="1")

    assert lenient.returncode == 0
    assert "NOT AUDITED: 1 of 2 packages" in lenient.stdout
    assert "Dependency not found on PyPI" in lenient.stdout
    assert "1 of 2 locked packages audited" in lenient.stdout
    assert strict.returncode == 2
