#!/usr/bin/env bash
# Sightline benchmarks. Usage:
#   sightline-bench/bench.sh ingest   [--format protobuf|json|both] [--runs 1] [--seconds 30] [--concurrency 8]
#                                     [--spans-per-request 510] [--warmup-s 5] [--server-args "..."] [--evaluators-compare]
#                                     (--format both: protobuf, then JSON, each against a fresh server; --runs N: N fresh
#                                     servers per format, median and spread; server CPU µs per span and % of the machine)
#                                     (--evaluators-compare: RAG content, the server run with evaluators off, then on)
#   sightline-bench/bench.sh overload [--seconds 60] [--senders-normal 8] [--factor 10] [--sustain-seconds 15] [--window 16]
#                                     (a server with -Xmx1g: S from closed-loop senders, then factor × S open-loop for
#                                     --seconds, Retry-After ignored; refusals, RSS, recovery, acknowledged vs stored)
#   sightline-bench/bench.sh evaluators [--calls 2000] [--threads 1,2]
#                                     (evaluator throughput on stored RAG calls; the labelled groundedness set's accuracy)
#   sightline-bench/bench.sh summary  [--calls 10000000] [--queries 40] [--data-dir DIR]
#   sightline-bench/bench.sh rules    [--calls 10000000] [--rules 1000] [--rounds 5] [--per-rule-rounds 1] [--data-dir DIR] [--as-stored]
#                                     (alert rules over the last hour of a start-time-ordered copy of the summary store,
#                                     bench-data/rules-N, in process: evaluate per rule vs evaluateAll, time and store
#                                     queries per round)
#   sightline-bench/bench.sh cost     [JMH options, default -f 1 -wi 3 -i 5]
#   sightline-bench/bench.sh scrape-parse [JMH options] (the Prometheus text parser: pages/s and samples/s)
#   sightline-bench/bench.sh scrape   [--targets 50] [--interval 5s] [--seconds 60] [--runs 3]
#                                     (the server scraping N loopback vLLM pages vs the same server idle: CPU, RSS, points, disk)
#   sightline-bench/bench.sh reprice  [--calls 10000000] [--data-dir DIR] [--as-stored]
#                                     (a copy of the summary store, in start-time order: bench-data/reprice-N)
#   sightline-bench/bench.sh gateway  [--modes stream,nonstream] [--levels 1,64,512] [--first-ms 200] [--gap-ms 20] [--tokens 20] [--rounds 8] [--single-calls 40]
#                                     [--warmup-s 90] [--settle-s 8] [--load-threads 1] [--server-args "..."] [--samples FILE]
#                                     (installs Debian's nginx for the side-by-side column when it is missing)
#   sightline-bench/bench.sh gateway-floor [--calls 60] [--rounds 5]
#                                     (one stream, in one JVM: the gateway vs the smallest Armeria proxy)
#   sightline-bench/bench.sh json-decode
#                                     (one warm thread: µs per span decoding the ingest template as OTLP/JSON and as protobuf)
#   sightline-bench/bench.sh ui       [--calls 10000000] [--runs 7] [--trace-spans 10000] [--data-dir DIR]
#                                     (needs Debian's chromium and chromium-driver)
#   sightline-bench/bench.sh scale-out [--batches 800] [--writers 1,2] [--runs 3] [--store both|postgres|duckdb]
#                                     (in one JVM: Kafka, and PostgreSQL from Debian's binaries; publish through the bus,
#                                     then spans/s stored by 1 and 2 writers into PostgreSQL and into DuckDB)
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
run() { "$SIGHTLINE_JDK/bin/java" -Xmx4g --enable-native-access=ALL-UNNAMED -cp "$cp" "$@"; }
case "$what" in
  ingest) run dev.sightline.bench.IngestBench "$@" ;;
  summary) run dev.sightline.bench.SummaryBench "$@" ;;
  overload) run dev.sightline.bench.OverloadBench "$@" ;;
  evaluators) run dev.sightline.bench.EvaluatorBench "$@" ;;
  rules) run dev.sightline.bench.RulesBench "$@" ;;
  ui)
    # its own copy of the summary benchmark's store when there is one (the UI run adds a trace)
    if [ ! -d bench-data/ui-10000000 ] && [ -d bench-data/summary-10000000 ] && [ "$*" = "" ]; then
      echo "bench: copying bench-data/summary-10000000 to bench-data/ui-10000000" >&2
      cp -r bench-data/summary-10000000 bench-data/ui-10000000
    fi
    run dev.sightline.bench.UiBench "$@" ;;
  gateway)
    if [ ! -x /usr/sbin/nginx ]; then
      echo "bench: installing Debian's nginx for the comparison (not started as a service)" >&2
      # keep the package's post-install from starting nginx on port 80
      own_policy=0
      if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; own_policy=1; fi
      { DEBIAN_FRONTEND=noninteractive apt-get install -y nginx-light >/dev/null 2>&1 \
        || { apt-get update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y nginx-light >/dev/null 2>&1; } \
        || DEBIAN_FRONTEND=noninteractive apt-get install -y nginx >/dev/null 2>&1; } \
        || echo "bench: nginx could not be installed; its column is left out" >&2
      if [ "$own_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
    fi
    run dev.sightline.bench.GatewayBench "$@" ;;
  gateway-floor) run dev.sightline.bench.GatewayFloorBench "$@" ;;
  reprice) run dev.sightline.bench.RepriceBench "$@" ;;
  json-decode) run dev.sightline.bench.JsonDecodeBench "$@" ;;
  scale-out) run dev.sightline.bench.ScaleOutBench "$@" ;;
  cost) if [ $# -eq 0 ]; then set -- -f 1 -wi 3 -i 5; fi; run org.openjdk.jmh.Main CostBenchmark "$@" ;;
  scrape-parse) run -Dsightline.fixtures="$root/../shared/fixtures" org.openjdk.jmh.Main ScrapeParseBenchmark \
      -jvmArgsAppend "-Dsightline.fixtures=$root/../shared/fixtures" "$@" ;;
  scrape) run -Dsightline.fixtures="$root/../shared/fixtures" dev.sightline.bench.ScrapeLoadBench "$@" ;;
  all) run dev.sightline.bench.IngestBench; run dev.sightline.bench.SummaryBench ;;
  *) echo "usage: $0 ingest|overload|summary|evaluators|rules|cost|scrape-parse|scrape|reprice|ui|gateway|gateway-floor|json-decode|all [options]" >&2; exit 2 ;;
esac
