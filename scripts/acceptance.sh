#!/usr/bin/env bash
# Acceptance checks that go beyond `cargo test`: the README's main command on a release build,
# and checks against real published data in ../shared (present in CI, absent in a user's clone).
set -euo pipefail
cd "$(dirname "$0")/.."

shared="${CALLCHECK_SHARED:-../shared}"
failures=0
pass() { printf '  ok    %s\n' "$*"; }
fail() { printf '  FAIL  %s\n' "$*"; failures=$((failures + 1)); }

expect_status() {  # expect_status WANT DESCRIPTION -- COMMAND...
  local want=$1 what=$2; shift 3
  local got=0
  "$@" >/tmp/callcheck-acceptance.out 2>&1 || got=$?
  if [ "$got" -eq "$want" ]; then pass "$what (exit $got)"; else
    fail "$what: exit $got, expected $want"; sed 's/^/        /' /tmp/callcheck-acceptance.out | head -40
  fi
}

echo "== README commands (release build)"
cargo build --locked --release --quiet
bin=target/release/callcheck
expect_status 1 "cargo run --release -- check examples/ finds the planted violations" -- \
  cargo run --locked --release --quiet -- check examples/
expect_status 0 "built-in rule examples pass" -- "$bin" rules test --quiet
expect_status 0 "example rulebook's examples pass" -- "$bin" rules test examples/rules/acme-bank.toml
expect_status 1 "examples with the company rulebook" -- \
  "$bin" check examples/ -r examples/rules/acme-bank.toml -r builtin:zh-telephone -r builtin:en-telephone

json=$("$bin" check examples/ --format json || true)
if printf '%s' "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["version"]==1 and d["summary"]["errors"]==0 and d["summary"]["findings"]>0'; then
  pass "JSON report is valid JSON with findings and no errors"
else
  fail "JSON report"
fi

echo "== CI gate: sample template repository and report formats"
expect_status 0 "examples/templates passes its own gate (baseline, suppression, config)" -- \
  bash -c "cd examples/templates && ../../$bin check"
expect_status 0 "examples/templates rulebook examples pass" -- \
  bash -c "cd examples/templates && ../../$bin rules test"
out=$(mktemp -d)
# The commands of docs/ci.md, as a CI job runs them.
expect_status 0 "docs/ci.md GitHub step: annotations" -- \
  bash -c "cd examples/templates && ../../$bin check --format github"
expect_status 0 "docs/ci.md GitLab steps: code quality and JUnit reports" -- bash -c "
  cd examples/templates &&
  ../../$bin check --format gitlab --output $out/gl-code-quality-report.json --fail-on never &&
  ../../$bin check --format junit --output $out/callcheck-junit.xml --fail-on never &&
  ../../$bin check --format compact"
"$bin" check examples/ --format sarif --output "$out/examples.sarif" --quiet 2>/dev/null || true
"$bin" check tests/fixtures/mixed-good-bad --format sarif --output "$out/mixed.sarif" --quiet || true
"$bin" check examples/ --format junit --output "$out/examples-junit.xml" --quiet 2>/dev/null || true
"$bin" check examples/ --format gitlab --output "$out/examples-gitlab.json" --quiet 2>/dev/null || true

schema="$shared/data/schemas/sarif-schema-2.1.0.json"
if [ -f "$schema" ]; then
  python3 -c 'import jsonschema' 2>/dev/null || python3 -m pip install --quiet jsonschema
  expect_status 0 "SARIF output validates against the official SARIF 2.1.0 schema" -- \
    python3 scripts/validate-sarif.py "$schema" "$out/examples.sarif" "$out/mixed.sarif"
else
  echo "  skip  $schema not found"
fi
if python3 - "$out" <<'PY'
import json, sys, xml.etree.ElementTree as ET
out = sys.argv[1]
for name in ("examples-junit.xml", "callcheck-junit.xml"):
    root = ET.parse(f"{out}/{name}").getroot()
    assert root.tag == "testsuites" and int(root.get("tests")) > 0, name
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == int(root.get("tests")), name
assert int(ET.parse(f"{out}/examples-junit.xml").getroot().get("failures")) > 0
for name in ("examples-gitlab.json", "gl-code-quality-report.json"):
    issues = json.load(open(f"{out}/{name}"))
    for issue in issues:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= issue.keys(), issue
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(fingerprints) == len(set(fingerprints)), "fingerprints must be unique"
assert json.load(open(f"{out}/examples-gitlab.json")), "examples have findings"
PY
then pass "JUnit XML parses with consistent counts; GitLab Code Quality issues are well-formed"
else
  fail "JUnit / GitLab reports"
fi
rm -rf "$out"

echo "== shared data (${shared})"
if [ -d "$shared/data/real" ]; then
  # Real dialogue data in a format callcheck does not read yet must be reported, not crash.
  real=$(find "$shared/data/real" -name '*.json' | head -n 1)
  expect_status 2 "an unsupported real export is reported as an error, not a crash" -- "$bin" check "$real"
else
  echo "  skip  $shared/data/real not found"
fi

if [ "$failures" -gt 0 ]; then
  echo "acceptance: $failures check(s) failed"
  exit 1
fi
echo "acceptance: all checks passed"
