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
