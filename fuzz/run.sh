#!/usr/bin/env bash
# Runs every fuzz target for a time budget (seconds per target, default 60), seeded from the
# captured kernel bytes of crates/nlkit/tests/fixtures, and prints executions and coverage per
# target: `npm run fuzz` or `bash fuzz/run.sh 120`. Needs nightly Rust and cargo-fuzz
# (`cargo install cargo-fuzz`). Corpora grow in fuzz/corpus/ (gitignored); crashes land in
# fuzz/artifacts/ and fail the run.
set -euo pipefail
cd "$(dirname "$0")"
budget=${1:-60}
command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz is required: cargo install cargo-fuzz" >&2; exit 1; }
fixtures=../crates/nlkit/tests/fixtures
targets=$(sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.toml | grep -v nlkit-fuzz)
status=0
printf '| target | executions | exec/s | coverage (edges) | features |\n|---|--:|--:|--:|--:|\n' > last-run.md
for t in $targets; do
  mkdir -p "corpus/$t"
  # Seeds: every fixture datagram (for the decoders also after a type-choosing first byte).
  for f in "$fixtures"/*.bin; do
    cp "$f" "corpus/$t/seed-$(basename "$f")"
    { printf '\x00'; cat "$f"; } > "corpus/$t/seed-0-$(basename "$f")"
  done
  # Hand-written seeds for targets that read something else than datagrams (JSON operations).
  if [ -d "seeds/$t" ]; then cp seeds/"$t"/* "corpus/$t/"; fi
  log=$(mktemp)
  if ! cargo +nightly fuzz run "$t" "corpus/$t" -- -max_total_time="$budget" -print_final_stats=1 >"$log" 2>&1; then
    echo "== $t FAILED (see fuzz/artifacts/$t)" >&2
    tail -40 "$log" >&2
    status=1
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  printf '| %s | %s | %s | %s | %s |\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" | tee -a last-run.md
  rm -f "$log"
done
exit $status
