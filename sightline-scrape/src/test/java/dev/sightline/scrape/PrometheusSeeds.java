package dev.sightline.scrape;

/** Small hand-written pages, one per feature of the text formats, that start the fuzzer off. */
final class PrometheusSeeds {
  static final String[] PAGES = {
      """
      # HELP http_requests_total Requests served.\\nSecond line.
      # TYPE http_requests_total counter
      http_requests_total{method="post",code="200"} 1027 1395066363000
      http_requests_total{method="post",code="400"} 3 1395066363000
      http_requests_created{method="post",code="200"} 1395066000
      """,
      """
      # TYPE latency_seconds histogram
      latency_seconds_bucket{le="0.05"} 24054
      latency_seconds_bucket{le="0.1"} 33444
      latency_seconds_bucket{le="+Inf"} 144320
      latency_seconds_sum 53423
      latency_seconds_count 144320
      """,
      """
      # TYPE rpc_duration_seconds summary
      rpc_duration_seconds{quantile="0.5"} 4773
      rpc_duration_seconds{quantile="0.99"} 76656
      rpc_duration_seconds_sum 1.7560473e+07
      rpc_duration_seconds_count 2693
      """,
      """
      # TYPE gpu_temp gauge
      # UNIT gpu_temp celsius
      gpu_temp{gpu="0",label_with_escapes="a\\"b\\\\c\\nd"} 61.5
      untyped_thing NaN
      other -Inf 12
      """,
      """
      # TYPE acme_requests counter
      # HELP acme_requests Requests.
      acme_requests_total{path="/"} 7 1700000000.5 # {trace_id="abc"} 1 1700000000
      acme_requests_created{path="/"} 1699999000
      # TYPE queue gaugehistogram
      queue_bucket{le="1"} 2
      queue_bucket{le="+Inf"} 3
      queue_gcount 3
      queue_gsum 4
      # TYPE feature stateset
      feature{feature="a"} 1
      # TYPE build info
      build_info{version="1.0"} 1
      # EOF
      """,
  };

  private PrometheusSeeds() {}
}
