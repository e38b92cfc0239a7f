package dev.sightline.receivers;

import java.util.ArrayList;
import java.util.List;

/** OTLP/JSON bodies that exercise the reader's tolerance, its per-record rejections and hostile input. */
final class OtlpJsonCases {
  private static final String T = "\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"spanId\":\"00f067aa0ba902b7\"";

  private OtlpJsonCases() {}

  static String spans(String... spans) {
    return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":"
        + "\"svc\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"lib\",\"version\":\"1\"},\"spans\":["
        + String.join(",", spans) + "]}]}]}";
  }

  static String logs(String... records) {
    return "{\"resourceLogs\":[{\"scopeLogs\":[{\"scope\":{\"name\":\"lib\"},\"logRecords\":["
        + String.join(",", records) + "]}]}]}";
  }

  static String metrics(String... metrics) {
    return "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[" + String.join(",", metrics) + "]}]}]}";
  }

  static List<String> tolerance() {
    List<String> c = new ArrayList<>();
    c.add(spans("{" + T + ",\"name\":\"a\",\"kind\":2,\"startTimeUnixNano\":\"1544712660000000000\","
        + "\"endTimeUnixNano\":1544712661000000000,\"attributes\":[{\"key\":\"s\",\"value\":{\"stringValue\":\"v\"}},"
        + "{\"key\":\"i\",\"value\":{\"intValue\":\"7\"}},{\"key\":\"d\",\"value\":{\"doubleValue\":0.5}},"
        + "{\"key\":\"b\",\"value\":{\"boolValue\":true}}]}"));
    c.add("{\"resource_spans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"string_value\":"
        + "\"svc\"}}]},\"scope_spans\":[{\"scope\":{\"name\":\"lib\"},\"spans\":[{\"trace_id\":\"W47/95gDgQPSabYzgT/GDA==\","
        + "\"span_id\":\"7uGbfsPBsXQ=\",\"parent_span_id\":\"7uGbfsPBsXM=\",\"name\":\"a\",\"kind\":\"SPAN_KIND_CLIENT\","
        + "\"start_time_unix_nano\":1544712660000000000,\"end_time_unix_nano\":\"1544712661000000000\","
        + "\"trace_state\":\"k=v\",\"dropped_attributes_count\":3,\"status\":{\"code\":\"ERROR\",\"message\":\"boom\"},"
        + "\"some_future_field\":{\"x\":[1,{\"y\":null}]},\"attributes\":[{\"key\":\"n\",\"value\":{\"int_value\":7}},"
        + "{\"key\":\"d\",\"value\":{\"double_value\":\"NaN\"}},{\"key\":\"inf\",\"value\":{\"doubleValue\":\"-Infinity\"}},"
        + "{\"key\":\"b\",\"value\":{\"bytes_value\":\"AQID\"}},{\"key\":\"u\",\"value\":{\"bytesValue\":\"-_8\"}},"
        + "{\"key\":\"flag\",\"value\":{\"bool_value\":\"false\"}},{\"key\":\"empty\",\"value\":{}},{\"key\":\"nil\","
        + "\"value\":null},{\"key\":\"nokey-value\"}]}]}]}]}");
    // kinds and enums in every spelling
    for (String kind : List.of("\"SERVER\"", "\"server\"", "\" SPAN_KIND_PRODUCER \"", "\"3\"", "5", "null", "0")) {
      c.add(spans("{" + T + ",\"name\":\"k\",\"kind\":" + kind + ",\"status\":{\"code\":" + kind.replace("SERVER", "OK")
          .replace("server", "ok").replace("SPAN_KIND_PRODUCER", "STATUS_CODE_ERROR") + "}}"));
    }
    // int64 in every form
    for (String v : List.of("\"1544712660000000000\"", "1544712660000000000", "\" 42 \"", "\"18446744073709551615\"",
        "18446744073709551615", "99999999999999999999999", "1e3", "1.0", "-5", "\"-0\"", "\"+7\"", "\"1.5e3\"", "\"\"",
        "null", "\"0007\"", "-0", "123456789012345678", "\"1234567890123456789\"")) {
      c.add(spans("{" + T + ",\"name\":\"t\",\"startTimeUnixNano\":" + v + ",\"flags\":" + v + "}"));
    }
    // strings given as other scalars
    for (String v : List.of("5", "1.50", "1e2", "true", "null", "12345678901234567890123", "-0", "\"\\u00e9\\n\"")) {
      c.add(spans("{" + T + ",\"name\":" + v + ",\"traceState\":" + v + "}"));
      c.add(spans("{" + T + ",\"name\":\"n\",\"attributes\":[{\"key\":" + v + ",\"value\":{\"stringValue\":" + v
          + "}}]}"));
    }
    // AnyValue: nested, two kinds at once, value before key, nulls
    c.add(spans("{" + T + ",\"name\":\"nested\",\"attributes\":[{\"key\":\"a\",\"value\":{\"arrayValue\":{\"values\":["
        + "{\"stringValue\":\"x\"},{\"intValue\":1},{\"kvlistValue\":{\"values\":[{\"key\":\"k\",\"value\":"
        + "{\"arrayValue\":{}}}]}}]}}},{\"key\":\"m\",\"value\":{\"kvlist_value\":{\"values\":null}}},"
        + "{\"key\":\"as\",\"value\":{\"arrayValue\":\"nope\"}},{\"key\":\"an\",\"value\":{\"arrayValue\":null}},"
        + "{\"key\":\"two\",\"value\":{\"intValue\":\"x\",\"stringValue\":\"wins\"}},"
        + "{\"key\":\"two2\",\"value\":{\"stringValue\":\"wins\",\"boolValue\":\"nope\"}},"
        + "{\"key\":\"nulls\",\"value\":{\"boolValue\":null}},{\"key\":\"ni\",\"value\":{\"intValue\":null}},"
        + "{\"value\":{\"stringValue\":\"before\"},\"key\":\"late\"},{\"value\":{\"intValue\":3}}]}"));
    // legacy names and odd shapes of envelope parts
    c.add("{\"resourceSpans\":[{\"instrumentationLibrarySpans\":[{\"instrumentationLibrary\":{\"name\":\"old\"},"
        + "\"spans\":[{" + T + ",\"name\":\"legacy\"}]}]}]}");
    c.add("{\"resourceSpans\":[{\"scopeSpans\":[{\"scope\":null,\"instrumentationLibrary\":{\"name\":\"x\"}}],"
        + "\"instrumentationLibrarySpans\":[{\"spans\":[{" + T + "}]}]}]}");
    c.add("{\"resourceSpans\":[1,null,\"x\",[],{\"resource\":\"str\",\"scopeSpans\":[5,{\"scope\":7}]}],\"x\":1}");
    c.add("{\"resourceSpans\":null,\"resourceLogs\":null,\"resourceMetrics\":null}");
    c.add("{}");
    c.add(spans("{" + T + ",\"name\":\"ev\",\"status\":\"str\",\"events\":[5,null,\"7\",[],{\"name\":\"e\","
        + "\"timeUnixNano\":\"3\",\"attributes\":[{\"key\":\"k\",\"value\":{\"stringValue\":\"v\"}}]}]}"));
    c.add(spans("{" + T + ",\"name\":\"st\",\"status\":null,\"events\":null,\"attributes\":null,\"links\":[{}]}"));
    // logs
    c.add(logs("{\"timeUnixNano\":\"1544712660300000000\",\"observedTimeUnixNano\":1544712660300000000,"
        + "\"severityNumber\":\"SEVERITY_NUMBER_INFO2\",\"severityText\":\"Information\",\"eventName\":\"ev\","
        + T + ",\"flags\":1,\"body\":{\"kvlistValue\":{\"values\":[{\"key\":\"a\",\"value\":{\"intValue\":1}}]}},"
        + "\"attributes\":[{\"key\":\"k\",\"value\":{\"stringValue\":\"v\"}}]}",
        "{\"severity_number\":\"warn\",\"body\":null}", "{\"severityNumber\":17,\"body\":{}}", "{}"));
    c.add("{\"resourceLogs\":[{\"instrumentationLibraryLogs\":[{\"logRecords\":[{\"body\":{\"stringValue\":\"x\"}}]}]}]}");
    // metrics: every kind and field
    c.add(metrics("{\"name\":\"c\",\"description\":\"d\",\"unit\":\"1\",\"sum\":{\"aggregationTemporality\":2,"
        + "\"isMonotonic\":true,\"dataPoints\":[{\"asInt\":\"5\",\"startTimeUnixNano\":\"1\",\"timeUnixNano\":\"2\","
        + "\"attributes\":[{\"key\":\"k\",\"value\":{\"stringValue\":\"v\"}}]},{\"asDouble\":\"NaN\"},"
        + "{\"asDouble\":1.5,\"asInt\":\"bad\"},{\"as_int\":3}]}}",
        "{\"name\":\"g\",\"gauge\":{\"dataPoints\":[{\"asDouble\":10}]},\"sum\":{\"aggregationTemporality\":\"bad\"}}",
        "{\"name\":\"h\",\"histogram\":{\"aggregation_temporality\":\"AGGREGATION_TEMPORALITY_DELTA\",\"dataPoints\":["
        + "{\"count\":\"2\",\"sum\":2,\"min\":null,\"max\":3,\"bucketCounts\":[\"1\",1,null,{\"bucketCounts[]\":4},[]],"
        + "\"explicitBounds\":[1,\"2.5\",null,{\"explicit_bounds[]\":\"Infinity\"}]}]}}",
        "{\"name\":\"e\",\"exponentialHistogram\":{\"aggregationTemporality\":1,\"dataPoints\":[{\"count\":3,"
        + "\"scale\":-2,\"zeroCount\":1,\"zeroThreshold\":0.1,\"sum\":10,\"positive\":{\"offset\":1,\"bucketCounts\":"
        + "[\"1\",2]},\"negative\":5},{\"positive\":null,\"negative\":[]}]}}",
        "{\"name\":\"s\",\"summary\":{\"dataPoints\":[{\"count\":1,\"sum\":\"2\",\"quantileValues\":[{\"quantile\":0.5,"
        + "\"value\":1},0.9,null,[],{\"quantile\":\"1\"}]}]}}",
        "{\"name\":\"none\"}", "5", "null", "{\"name\":\"gn\",\"gauge\":null}", "{\"name\":\"gs\",\"gauge\":\"x\"}",
        "{\"name\":\"sn\",\"sum\":{\"dataPoints\":null,\"isMonotonic\":\"true\"}}"));
    c.add("{\"resourceMetrics\":[{\"instrumentationLibraryMetrics\":[{\"metrics\":[{\"name\":\"old\",\"gauge\":"
        + "{\"dataPoints\":[{\"asInt\":1}]}}]}]}]}");
    return c;
  }

  /** Bodies where one record (span, log record or data point) has one field that cannot be read. */
  static List<String> badRecords() {
    List<String> c = new ArrayList<>();
    String good = "{" + T + ",\"name\":\"good\"}";
    for (String bad : List.of("\"traceId\":\"not-hex-at-all\"", "\"traceId\":5", "\"spanId\":[1]",
        "\"parentSpanId\":{\"a\":1}", "\"startTimeUnixNano\":\"yesterday\"",
        "\"endTimeUnixNano\":1.5", "\"endTimeUnixNano\":{}", "\"kind\":\"SIDEWAYS\"", "\"kind\":1.0",
        "\"kind\":9999999999", "\"name\":{\"x\":1}", "\"traceState\":[]", "\"flags\":true", "\"status\":{\"code\":[]}",
        "\"attributes\":{}", "\"attributes\":[5]", "\"attributes\":[{\"key\":[],\"value\":{}}]",
        "\"attributes\":[{\"key\":\"k\",\"value\":5}]", "\"attributes\":[{\"key\":\"k\",\"value\":{\"stringValue\":null}}]",
        "\"attributes\":[{\"key\":\"k\",\"value\":{\"stringValue\":{}}}]",
        "\"attributes\":[{\"key\":\"k\",\"value\":{\"boolValue\":1}}]",
        "\"attributes\":[{\"key\":\"k\",\"value\":{\"intValue\":\"1x\"}}]",
        "\"attributes\":[{\"key\":\"k\",\"value\":{\"doubleValue\":\"one\"}}]",
        "\"attributes\":[{\"key\":\"k\",\"value\":{\"bytesValue\":\"***\"}}]",
        "\"attributes\":[{\"key\":\"k\",\"value\":{\"arrayValue\":{\"values\":{}}}}]",
        "\"attributes\":[{\"key\":\"k\",\"value\":{\"arrayValue\":{\"values\":[null]}}}]",
        "\"attributes\":[{\"key\":\"k\",\"value\":{\"kvlistValue\":{\"values\":[7]}}}]",
        "\"attributes\":[{\"value\":{\"intValue\":\"late\"},\"key\":\"k\"}]",
        "\"events\":{}", "\"events\":[\"soon\"]", "\"events\":[{\"name\":[]}]",
        "\"events\":[{\"attributes\":[{\"key\":\"k\",\"value\":[]}]}]")) {
      c.add(spans(good, "{" + T + ",\"name\":\"bad\"," + bad + ",\"more\":[{\"x\":[1,2]}]}", good));
      c.add(spans(good, "{" + bad + ",\"droppedEventsCount\":1}"));
    }
    c.add(spans(good, "5", "null", "[1,2]", "\"span\"", good));
    c.add(spans("{\"name\":\"bad-end\",\"traceId\":true}"));
    for (String bad : List.of("\"timeUnixNano\":\"x\"", "\"severityNumber\":\"LOUD\"", "\"body\":5",
        "\"body\":{\"bytesValue\":1}", "\"traceId\":\"zz\"", "\"attributes\":[[]]", "\"severityText\":{}")) {
      c.add(logs("{\"body\":{\"stringValue\":\"ok\"}}", "{" + bad + ",\"eventName\":\"e\"}", "7"));
    }
    for (String bad : List.of("\"asInt\":\"x\"", "\"asDouble\":\"x\"", "\"timeUnixNano\":[]",
        "\"attributes\":[5]", "\"count\":\"many\"", "\"bucketCounts\":[\"x\"]", "\"explicitBounds\":[{}]",
        "\"bucketCounts\":5", "\"quantileValues\":[\"x\"]", "\"positive\":\"x\"", "\"negative\":{\"bucketCounts\":[true]}",
        "\"sum\":true", "\"zeroThreshold\":[]")) {
      String point = "{\"asInt\":1}, {" + bad + "}, 5";
      c.add(metrics("{\"name\":\"g\",\"gauge\":{\"dataPoints\":[" + point + "]}}",
          "{\"sum\":{\"dataPoints\":[" + point + "]},\"name\":\"name-after\"}",
          "{\"name\":\"h\",\"histogram\":{\"dataPoints\":[" + point + "]}}",
          "{\"name\":\"e\",\"exponentialHistogram\":{\"dataPoints\":[" + point + "]}}",
          "{\"name\":\"s\",\"summary\":{\"dataPoints\":[" + point + "]}}"));
    }
    return c;
  }

  /** Bodies refused as a whole, or barely OTLP: wrong envelope types, syntax errors, odd roots. */
  static List<String> hostile() {
    List<String> c = new ArrayList<>();
    c.addAll(List.of("", "   ", "null", "[1,2]", "\"str\"", "5", "true", "{", "}", "{\"resourceSpans\": [ {\"scopeSpans\": ",
        "{\"resourceSpans\": {\"oops\": 1}}", "{\"resourceLogs\": 5}", "{\"resourceMetrics\": \"x\"}",
        "{\"resource_spans\": {}}", "{} trailing garbage", "{}{}", "[1,2", "{\"a\":NaN}", "{\"a\":01}",
        "{\"resourceSpans\":[{\"scopeSpans\":{}}]}", "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":{}}]}]}",
        "{\"resourceSpans\":[{\"resource\":{\"attributes\":5}}]}",
        "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"k\",\"value\":{\"intValue\":\"x\"}}]}}]}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"scope\":{\"name\":[]}}]}]}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"scope\":{\"attributes\":[1]}}]}]}",
        "{\"resourceSpans\":{\"oops\": 1}, \"later\": [1,2,}",
        "{\"resourceSpans\":[{\"scopeSpans\":5}], \"later\": tru}",
        "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":{}}]}]}]}",
        "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"m\",\"sum\":{\"aggregationTemporality\":\"x\"}}]}]}]}",
        "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"m\",\"gauge\":{\"dataPoints\":5}}]}]}]}",
        "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"unit\":[],\"name\":\"m\"}]}]}]}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"4bf9\"}]}]}],\"x\":\"\\uZZZZ\"}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":\"unterminated}]}]}]}",
        "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":{\"stringValue\":\"x\"}"));
    String wide = spans("{" + T + ",\"name\":\"wide\",\"attributes\":[" + "{\"key\":\"k\",\"value\":{\"intValue\":1}},"
        .repeat(3000) + "{\"key\":\"last\",\"value\":{\"stringValue\":\"" + "é".repeat(300_000) + "\"}}]}");
    c.add(wide);
    return c;
  }
}
