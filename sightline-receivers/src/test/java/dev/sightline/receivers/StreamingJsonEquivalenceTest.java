package dev.sightline.receivers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.testing.SharedFixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming OTLP/JSON reader gives what the tree reader gave (kept in test scope as
 * {@link TreeJsonReference}): the same request messages, the same rejections and reasons, the same
 * refusals of whole bodies, for the shared fixtures, the tolerance cases and hostile bodies.
 */
class StreamingJsonEquivalenceTest {
  private static final ReceiverLimits LIMITS = ReceiverLimits.defaults();
  private static final OtlpDecoder DECODER = new OtlpDecoder(LIMITS);

  /** What one reader made of a body: the request, the report's count and message; or the refusal. */
  record Outcome(Object request, int rejected, String message, String refused) {}

  static Outcome streamed(Signal signal, byte[] body, OtlpDecoder decoder, ReceiverLimits limits) {
    DecodeReport report = new DecodeReport(limits);
    try {
      Object request = decoder.readJson(signal, body, report);
      return new Outcome(request, report.rejected(), report.message(signal.noun()), null);
    } catch (MalformedRequestException e) {
      return new Outcome(null, 0, null, e.getMessage());
    }
  }

  static Outcome tree(Signal signal, byte[] body, ReceiverLimits limits) {
    DecodeReport report = new DecodeReport(limits);
    try {
      Object request = read(signal, body, report, limits);
      return new Outcome(request, report.rejected(), report.message(signal.noun()), null);
    } catch (MalformedRequestException e) {
      return new Outcome(null, 0, null, e.getMessage());
    }
  }

  private static final java.util.Map<ReceiverLimits, com.fasterxml.jackson.databind.ObjectMapper> MAPPERS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** What the old OtlpDecoder.decodeJson made (with "nothing" for an empty body, where it wrote nothing after "got") of a body, up to the request message (converter not included). */
  static Object read(Signal signal, byte[] body, DecodeReport report, ReceiverLimits limits)
      throws MalformedRequestException {
    com.fasterxml.jackson.databind.ObjectMapper json = MAPPERS.computeIfAbsent(limits,
        l -> new com.fasterxml.jackson.databind.ObjectMapper(OtlpDecoder.jsonFactory(l)));
    com.fasterxml.jackson.databind.JsonNode root;
    try {
      if (com.google.protobuf.UnsafeByteOperations.unsafeWrap(body).isValidUtf8()) {
        root = json.readTree(body);
      } else {
        report.repairedStrings(1);
        root = json.readTree(new String(body, java.nio.charset.StandardCharsets.UTF_8));
      }
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new MalformedRequestException("malformed JSON body for " + signal.httpPath + ": "
          + e.getOriginalMessage() + (e.getLocation() == null ? ""
          : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
    } catch (java.io.IOException e) {
      throw new MalformedRequestException("unreadable JSON body for " + signal.httpPath + ": " + e.getMessage());
    }
    String envelope = switch (signal) {
      case TRACES -> "resourceSpans";
      case LOGS -> "resourceLogs";
      case METRICS -> "resourceMetrics";
    };
    if (root == null || !root.isObject()) {
      throw new MalformedRequestException("the JSON body for " + signal.httpPath + " must be an object such as {\""
          + envelope + "\":[…]}, got " + (root == null || root.isMissingNode() ? "nothing" : TreeJsonReference.describe(root)));
    }
    try {
      return switch (signal) {
        case TRACES -> TreeJsonReference.traces(root, report);
        case LOGS -> TreeJsonReference.logs(root, report);
        case METRICS -> TreeJsonReference.metrics(root, report);
      };
    } catch (TreeJsonReference.BadField e) {
      throw new MalformedRequestException("the JSON body is not an OTLP " + envelope + " request: " + e.getMessage());
    }
  }


  static void assertSame(Signal signal, byte[] body, String what) {
    Outcome expected = tree(signal, body, LIMITS);
    assertThat(streamed(signal, body, DECODER, LIMITS)).as(what + " as " + signal).isEqualTo(expected);
  }

  static void assertSameForEverySignal(String body, String what) {
    for (Signal signal : Signal.values()) {
      assertSame(signal, body.getBytes(StandardCharsets.UTF_8), what);
    }
  }

  // ---------------------------------------------------------------- the shared fixtures

  static Stream<Path> fixtureFiles() throws IOException {
    Path dir = SharedFixtures.file("otlp");
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream();
    }
  }

  @Test
  void everyOtlpJsonFixtureReadsTheSameAsEverySignal() throws Exception {
    List<Path> files = fixtureFiles().toList();
    assertThat(files).hasSizeGreaterThanOrEqualTo(4);
    int withRecords = 0;
    for (Path f : files) {
      byte[] body = Files.readAllBytes(f);
      for (Signal signal : Signal.values()) {
        assertSame(signal, body, f.toString());
      }
      Outcome traces = tree(Signal.TRACES, body, LIMITS);
      Outcome logs = tree(Signal.LOGS, body, LIMITS);
      Outcome metrics = tree(Signal.METRICS, body, LIMITS);
      if (!String.valueOf(traces.request).isEmpty() || !String.valueOf(logs.request).isEmpty()
          || !String.valueOf(metrics.request).isEmpty()) {
        withRecords++;
      }
    }
    assertThat(withRecords).as("fixtures that held OTLP records").isGreaterThanOrEqualTo(4);
  }

  /** Each fixture's content placed where a span, a log record, a metric and an attribute value go. */
  @Test
  void everyFixtureAsARecordReadsTheSame() throws Exception {
    for (Path f : fixtureFiles().toList()) {
      String content = Files.readString(f);
      String what = f.getFileName().toString();
      assertSame(Signal.TRACES, bytes("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + content + ","
          + content + "]}]}]}"), what + " as spans");
      assertSame(Signal.LOGS, bytes("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[" + content + "]}]}]}"),
          what + " as a log record");
      assertSame(Signal.METRICS, bytes("{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[" + content
          + "]}]}]}"), what + " as a metric");
      assertSame(Signal.LOGS, bytes("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":" + content
          + "}]}]}]}"), what + " as a log body");
      assertSame(Signal.TRACES, bytes("{\"resourceSpans\":[{\"resource\":" + content + ",\"scopeSpans\":[{\"scope\":"
          + content + "}]}]}"), what + " as a resource and a scope");
    }
  }

  @Test
  void theFixtureTraceReadsToTheExpectedMessageAndMatchesTheTree() throws Exception {
    byte[] body = Files.readAllBytes(SharedFixtures.file("otlp/otlp-proto-examples/trace.json"));
    Outcome streamed = streamed(Signal.TRACES, body, DECODER, LIMITS);
    var request = (io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest) streamed.request;
    var span = request.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(java.util.HexFormat.of().formatHex(span.getTraceId().toByteArray()))
        .isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(span.getKind()).isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(streamed).isEqualTo(tree(Signal.TRACES, body, LIMITS));
  }

  /** Every prefix of a real body: truncated input is refused the same way, at the same line and column. */
  @Test
  void everyTruncationOfTheFixturesIsRefusedAlike() throws Exception {
    for (String name : List.of("trace.json", "logs.json", "metrics.json")) {
      byte[] body = Files.readAllBytes(SharedFixtures.file("otlp/otlp-proto-examples/" + name));
      Signal signal = name.startsWith("trace") ? Signal.TRACES : name.startsWith("logs") ? Signal.LOGS : Signal.METRICS;
      for (int n = 0; n < body.length; n++) {
        assertSame(signal, Arrays.copyOf(body, n), name + " cut to " + n + " bytes");
      }
    }
  }

  // ---------------------------------------------------------------- tolerance

  static Stream<String> tolerance() {
    return OtlpJsonCases.tolerance().stream();
  }

  @ParameterizedTest
  @MethodSource("tolerance")
  void toleranceCasesReadTheSame(String body) {
    assertSameForEverySignal(body, body);
  }

  @Test
  void toleranceCasesKeepTheirRecords() {
    // the cases are not all refusals: most of them read to records, as real senders' bodies do
    long read = OtlpJsonCases.tolerance().stream()
        .filter(b -> streamed(Signal.TRACES, bytes(b), DECODER, LIMITS).refused == null
            || streamed(Signal.LOGS, bytes(b), DECODER, LIMITS).refused == null
            || streamed(Signal.METRICS, bytes(b), DECODER, LIMITS).refused == null)
        .count();
    assertThat(read).isGreaterThan(OtlpJsonCases.tolerance().size() * 3L / 4);
  }

  static Stream<String> badRecords() {
    return OtlpJsonCases.badRecords().stream();
  }

  @ParameterizedTest
  @MethodSource("badRecords")
  void aRecordWithOneUnreadableFieldIsRejectedAloneWithTheSameReason(String body) {
    assertSameForEverySignal(body, body);
    int rejected = 0;
    for (Signal signal : Signal.values()) {
      rejected += streamed(signal, bytes(body), DECODER, LIMITS).rejected;
    }
    assertThat(rejected).as("rejections of " + body).isPositive();
  }

  // ---------------------------------------------------------------- hostile

  static Stream<String> hostile() {
    return OtlpJsonCases.hostile().stream();
  }

  @ParameterizedTest
  @MethodSource("hostile")
  void hostileBodiesAreRefusedAlikeAndNeverThrow(String body) {
    assertSameForEverySignal(body, body.length() > 200 ? body.substring(0, 200) + "…" : body);
    for (Signal signal : Signal.values()) {
      try {
        DECODER.decodeJson(signal, bytes(body), "test");
      } catch (MalformedRequestException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
  }

  @Test
  void nestingPastTheLimitAnywhereRefusesTheBodyAlike() {
    String deep = "[".repeat(300) + "]".repeat(300);
    for (String body : List.of(
        "{\"resourceSpans\":[],\"x\":" + deep + "}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":\"n\",\"attributes\":" + deep + "}]}]}]}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":1,\"x\":" + deep + "}]}]}]}",
        "{\"resourceSpans\":{\"x\":" + deep + "}}",
        deep)) {
      assertSameForEverySignal(body, "deep: " + body.substring(0, 60));
      assertThat(streamed(Signal.TRACES, bytes(body), DECODER, LIMITS).refused).contains("nesting depth");
    }
  }

  /**
   * Strings longer than the limit in the fields that are read. (A string in a field that is skipped
   * is not measured, but no string can be longer than the body, and the receivers refuse bodies
   * over the same limit before decoding them.)
   */
  @Test
  void stringsOverTheLimitRefuseTheBodyAlike() {
    ReceiverLimits small = new ReceiverLimits(1024, 8, 64);
    OtlpDecoder decoder = new OtlpDecoder(small);
    String huge = "x".repeat(5000);
    for (String body : List.of(
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":\"" + huge + "\"}]}]}]}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + huge + "\"}]}]}]}")) {
      Outcome expected = tree(Signal.TRACES, bytes(body), small);
      assertThat(streamed(Signal.TRACES, bytes(body), decoder, small)).isEqualTo(expected);
      assertThat(expected.refused).contains("String value length");
    }
    // under the default limit, a long bad id is described cut short, as before
    assertSame(Signal.TRACES, bytes("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + huge
        + "\\u00e9\"}]}]}]}"), "long id");
  }

  @Test
  void invalidUtf8IsRepairedAlike() {
    byte[] body = bytes("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":\"bad-QQ\","
        + "\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"spanId\":\"00f067aa0ba902b8\"}]}]}]}");
    body = HostileInputTest.replaceAll(body, bytes("QQ"), new byte[] {(byte) 0xFF, (byte) 0xFE});
    assertSame(Signal.TRACES, body, "invalid UTF-8");
    assertThat(streamed(Signal.TRACES, body, DECODER, LIMITS).message).contains("invalid UTF-8");
  }

  /** Seeded byte-level damage to real bodies (flips, cuts, duplicated spans of bytes): refusals and rejections alike. */
  @Test
  void damagedBodiesReadTheSame() {
    Random random = new Random(17);
    List<String> sources = new ArrayList<>(OtlpJsonCases.tolerance());
    int compared = 0;
    for (String source : sources) {
      byte[] original = bytes(source);
      for (int i = 0; i < 20; i++) {
        byte[] damaged = damage(original, random);
        for (Signal signal : Signal.values()) {
          assertSame(signal, damaged, new String(damaged, StandardCharsets.UTF_8));
          compared++;
        }
      }
    }
    assertThat(compared).isGreaterThan(1000);
  }

  private static byte[] damage(byte[] in, Random random) {
    byte[] b = in.clone();
    int at = random.nextInt(b.length);
    switch (random.nextInt(4)) {
      case 0 -> b[at] = (byte) "{}[],:\"0a-. nul".charAt(random.nextInt(15));
      case 1 -> b = Arrays.copyOf(b, at);
      case 2 -> {
        int len = Math.min(b.length - at, 1 + random.nextInt(8));
        byte[] out = new byte[b.length - len];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + len, out, at, b.length - at - len);
        b = out;
      }
      default -> b[at] = (byte) random.nextInt(128);
    }
    return b;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
