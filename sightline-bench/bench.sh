#!/usr/bin/env bash
# Sightline benchmarks. Usage:
#   sightline-bench/bench.sh ingest   [--seconds 30] [--concurrency 8] [--spans-per-request 500]
#   sightline-bench/bench.sh summary  [--calls 10000000] [--queries 40] [--data-dir DIR]
#   sightline-bench/bench.sh cost     [JMH options, default -f 1 -wi 3 -i 5]
#   sightline-bench/bench.sh all
# Builds what it needs first. Results are printed and written to bench-results/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/.mvn/find-jdk.sh"
sightline_find_jdk || exit 1
cd "$root"
echo "bench: building..." >&2
./mvnw -q -B -DskipTests -pl sightline-bench -am install >/dev/null
cp="$root/sightline-bench/target/classes:$(ls "$root"/sightline-bench/target/lib/*.jar | tr '\n' ':')"
mkdir -p "$root/bench-results"
what=${1:-all}
shift || true
run() { "$SIGHTLINE_JDK/bin/java" -Xmx4g -cp "$cp" "$@"; }
case "$what" in
  ingest) run dev.sightline.bench.IngestBench "$@" ;;
  summary) run dev.sightline.bench.SummaryBench "$@" ;;
  cost) if [ $# -eq 0 ]; then set -- -f 1 -wi 3 -i 5; fi; run org.openjdk.jmh.Main CostBenchmark "$@" ;;
  all) run dev.sightline.bench.IngestBench; run dev.sightline.bench.SummaryBench ;;
  *) echo "usage: $0 ingest|summary|cost|all [options]" >&2; exit 2 ;;
esac
