package dev.sightline.receivers;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.sightline.model.Span;
import dev.sightline.pipeline.IngestCounters;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Bad, huge and hostile requests get a 4xx or a partial success with a clear message, never a
 * 500, and the good records sent beside a bad one are kept.
 */
class HostileInputTest extends ReceiverTestSupport {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Test
  void malformedProtobufIs400WithAGoogleRpcStatus() throws Exception {
    var r = postProtobuf("/v1/traces", new byte[] {0x0a, (byte) 0xff, (byte) 0xff, 0x01, 0x02});
    assertThat(r.status().code()).isEqualTo(400);
    com.google.rpc.Status status = com.google.rpc.Status.parseFrom(r.content().array());
    assertThat(status.getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT.value());
    assertThat(status.getMessage()).contains("malformed protobuf body").contains("ExportTraceServiceRequest");
    assertThat(ingest.batches).isEmpty();
  }

  @Test
  void malformedJsonIs400WithAJsonError() throws Exception {
    var r = postJson("/v1/traces", "{\"resourceSpans\": [ {\"scopeSpans\": ");
    assertThat(r.status().code()).isEqualTo(400);
    var error = json(r).get("error");
    assertThat(error.get("code").asText()).isEqualTo("bad_request");
    assertThat(error.get("message").asText()).startsWith("malformed JSON body for /v1/traces").contains("line 1");
  }

  @Test
  void jsonThatIsNotAnOtlpEnvelopeIs400() throws Exception {
    var r = postJson("/v1/traces", "{\"resourceSpans\": {\"oops\": 1}}");
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(json(r).at("/error/message").asText()).contains("resourceSpans: expected an array");
    var r2 = postJson("/v1/logs", "[1,2]");
    assertThat(r2.status().code()).isEqualTo(400);
    assertThat(json(r2).at("/error/message").asText()).contains("must be an object");
  }

  @Test
  void unsupportedContentTypeIs415() throws Exception {
    var r = post("/v1/traces", "text/plain", "hello".getBytes(StandardCharsets.UTF_8));
    assertThat(r.status().code()).isEqualTo(415);
    assertThat(json(r).at("/error/message").asText())
        .contains("application/x-protobuf or application/json").contains("text/plain");
    var r2 = postProtobuf("/v1/traces", traces(span(TRACE, "00f067aa0ba902b7", "ok")).toByteArray(),
        "content-encoding", "br");
    assertThat(r2.status().code()).isEqualTo(415);
    assertThat(com.google.rpc.Status.parseFrom(r2.content().array()).getMessage()).contains("Content-Encoding br");
  }

  @Test
  void bodyOverTheLimitIs413() throws Exception {
    byte[] big = new byte[20 * 1024 * 1024];
    var r = postProtobuf("/v1/traces", big);
    assertThat(r.status().code()).isEqualTo(413);
    assertThat(com.google.rpc.Status.parseFrom(r.content().array()).getMessage())
        .contains("larger than the limit of 16777216 bytes");
    var j = post("/v1/traces", "application/json", big);
    assertThat(j.status().code()).isEqualTo(413);
    assertThat(json(j).at("/error/code").asText()).isEqualTo("payload_too_large");
  }

  @Test
  void streamedBodyWithoutContentLengthIsAlso413() throws Exception {
    var chunks = new com.linecorp.armeria.common.HttpData[17];
    for (int i = 0; i < chunks.length; i++) {
      chunks[i] = com.linecorp.armeria.common.HttpData.wrap(new byte[1 << 20]);
    }
    var headers = com.linecorp.armeria.common.RequestHeaders.builder(
        com.linecorp.armeria.common.HttpMethod.POST, "/v1/traces").contentType(ExportResponses.PROTOBUF).build();
    var r = com.linecorp.armeria.client.WebClient.of(server.httpUri())
        .execute(com.linecorp.armeria.common.HttpRequest.of(headers,
            com.linecorp.armeria.common.stream.StreamMessage.of(chunks)))
        .aggregate().join();
    assertThat(r.status().code()).isEqualTo(413);
    assertThat(com.google.rpc.Status.parseFrom(r.content().array()).getMessage())
        .contains("larger than the limit of 16777216 bytes");
    assertThat(ingest.batches).isEmpty();
  }

  @Test
  void gzipBombHitsTheLimitOnItsDecompressedSize() throws Exception {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 64; i++) {
        gz.write(zeros);
      }
    }
    assertThat(compressed.size()).isLessThan(1 << 20);
    var r = postJson("/v1/traces", "", "content-encoding", "gzip");
    assertThat(r.status().code()).isEqualTo(400); // empty body is not gzip
    r = post("/v1/traces", "application/json", compressed.toByteArray(), "content-encoding", "gzip");
    assertThat(r.status().code()).isEqualTo(413);
    assertThat(json(r).at("/error/message").asText()).contains("after gzip decompression");
    assertThat(ingest.batches).isEmpty();
  }

  @Test
  void gzipProtobufIsDecompressed() throws Exception {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
      gz.write(traces(span(TRACE, "00f067aa0ba902b7", "zipped")).toByteArray());
    }
    var r = postProtobuf("/v1/traces", compressed.toByteArray(), "content-encoding", "gzip");
    assertThat(r.status().code()).isEqualTo(200);
    assertThat(ingest.spans()).extracting(Span::name).containsExactly("zipped");
  }

  @Test
  void unusableSpansAreRejectedAndTheirNeighboursKept() throws Exception {
    long rejectedBefore = counters.get("otlp-http", "spans", IngestCounters.Outcome.REJECTED);
    var request = traces(
        span(TRACE, "00f067aa0ba902b7", "good"),
        span("4bf92f35", "00f067aa0ba902b8", "short-trace-id"),
        span(TRACE, "00f067aa0ba9", "short-span-id"),
        span(TRACE, "00f067aa0ba902b9", "backwards").setEndTimeUnixNano(1),
        span("00000000000000000000000000000000", "00f067aa0ba902ba", "zero-trace"),
        span(TRACE, "00f067aa0ba902bb", "good-child").setParentSpanId(id("00f067aa0ba902b7")));
    var r = postProtobuf("/v1/traces", request.toByteArray());
    assertThat(r.status().code()).isEqualTo(200);
    var response = ExportTraceServiceResponse.parseFrom(r.content().array());
    assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(4);
    assertThat(response.getPartialSuccess().getErrorMessage())
        .contains("4 span(s) rejected")
        .contains("'short-trace-id': trace_id must be 16 bytes (32 hex characters), got 4 bytes")
        .contains("'short-span-id': span_id must be 8 bytes")
        .contains("'backwards': end_time_unix_nano (1) is before start_time_unix_nano");
    assertThat(ingest.spans()).extracting(Span::name).containsExactly("good", "good-child");
    assertThat(counters.get("otlp-http", "spans", IngestCounters.Outcome.REJECTED) - rejectedBefore).isEqualTo(4);
  }

  @Test
  void jsonSpanWithUnreadableFieldsIsRejectedAlone() throws Exception {
    var r = postJson("/v1/traces", """
        {"resourceSpans":[{"scopeSpans":[{"spans":[
          {"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7","name":"good",
           "startTimeUnixNano":"1","endTimeUnixNano":"2"},
          {"traceId":"not-hex-at-all","spanId":"00f067aa0ba902b8","name":"bad-id"},
          {"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b9","name":"bad-time",
           "startTimeUnixNano":"yesterday"}]}]}]}
        """);
    assertThat(r.status().code()).isEqualTo(200);
    var partial = json(r).get("partialSuccess");
    assertThat(partial.get("rejectedSpans").asText()).isEqualTo("2");
    assertThat(partial.get("errorMessage").asText())
        .contains("'bad-id': traceId: expected 32 hex characters, got \"not-hex-at-all\"")
        .contains("'bad-time': startTimeUnixNano: expected an integer");
    assertThat(ingest.spans()).extracting(Span::name).containsExactly("good");
  }

  @Test
  void tenThousandAttributesKeepTheFirstThousandAndCountTheRest() throws Exception {
    var s = span(TRACE, "00f067aa0ba902b7", "wide");
    for (int i = 0; i < 10_000; i++) {
      s.addAttributes(attr("k" + i, "v" + i));
    }
    var r = postProtobuf("/v1/traces", traces(s, span(TRACE, "00f067aa0ba902b8", "narrow")).toByteArray());
    assertThat(r.status().code()).isEqualTo(200);
    var partial = ExportTraceServiceResponse.parseFrom(r.content().array()).getPartialSuccess();
    assertThat(partial.getRejectedSpans()).isZero();
    assertThat(partial.getErrorMessage()).contains("8976 attribute(s) over the limit of 1024 per record were dropped");
    Span wide = ingest.spans().get(0);
    assertThat(wide.attributes()).hasSize(1025)
        .containsEntry("k0", "v0").containsEntry("k1023", "v1023").doesNotContainKey("k1024")
        .containsEntry("sightline.dropped_attributes_count", 8976L);
    assertThat(ingest.spans().get(1).attributes()).isEmpty();
  }

  @Test
  void oneMebibyteValueIsTruncatedWithAMarker() throws Exception {
    String huge = "é".repeat(512 * 1024); // 1 MiB of UTF-8, two bytes a character
    var r = postProtobuf("/v1/traces", traces(
        span(TRACE, "00f067aa0ba902b7", "big").addAttributes(attr("gen_ai.input.messages", huge)),
        span(TRACE, "00f067aa0ba902b8", "small").addAttributes(attr("k", "v"))).toByteArray());
    assertThat(r.status().code()).isEqualTo(200);
    var partial = ExportTraceServiceResponse.parseFrom(r.content().array()).getPartialSuccess();
    assertThat(partial.getRejectedSpans()).isZero();
    assertThat(partial.getErrorMessage()).contains("1 value(s) longer than 262144 bytes were truncated");
    String kept = (String) ingest.spans().get(0).attributes().get("gen_ai.input.messages");
    assertThat(kept).startsWith("éééé").endsWith("…[truncated 786432 bytes]");
    assertThat(kept.substring(0, kept.indexOf('…')).getBytes(StandardCharsets.UTF_8)).hasSize(262144);
    assertThat(ingest.spans().get(1).attributes()).containsEntry("k", "v");
  }

  @Test
  void invalidUtf8InProtobufIsRepairedAndTheOtherSpansKept() throws Exception {
    byte[] body = traces(
        span(TRACE, "00f067aa0ba902b7", "good-1"),
        span(TRACE, "00f067aa0ba902b8", "bad-QQQQ").addAttributes(attr("prompt", "say QQQQ")),
        span(TRACE, "00f067aa0ba902b9", "good-2")).toByteArray();
    body = replaceAll(body, "QQQQ".getBytes(StandardCharsets.US_ASCII), new byte[] {'X', (byte) 0xC3, '(', 'X'});
    assertThatGeneratedParserRefuses(body);

    var r = postProtobuf("/v1/traces", body);
    assertThat(r.status().code()).isEqualTo(200);
    var partial = ExportTraceServiceResponse.parseFrom(r.content().array()).getPartialSuccess();
    assertThat(partial.getRejectedSpans()).isZero();
    assertThat(partial.getErrorMessage()).contains("2 string field(s) held invalid UTF-8").contains("U+FFFD");
    assertThat(ingest.spans()).extracting(Span::name).containsExactly("good-1", "bad-X\uFFFD(X", "good-2");
    assertThat(ingest.spans().get(1).attributes()).containsEntry("prompt", "say X\uFFFD(X");
    assertThat(ingest.spans().get(1).traceId()).isEqualTo(TRACE);
  }

  @Test
  void invalidUtf8InJsonIsRepairedAndTheOtherSpansKept() throws Exception {
    byte[] body = """
        {"resourceSpans":[{"scopeSpans":[{"spans":[
          {"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7","name":"good"},
          {"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b8","name":"bad-QQ"}]}]}]}
        """.getBytes(StandardCharsets.UTF_8);
    body = replaceAll(body, "QQ".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xFF, (byte) 0xFE});
    var r = post("/v1/traces", "application/json", body);
    assertThat(r.status().code()).isEqualTo(200);
    assertThat(json(r).at("/partialSuccess/errorMessage").asText()).contains("invalid UTF-8");
    assertThat(json(r).at("/partialSuccess/rejectedSpans").asText()).isEqualTo("0");
    assertThat(ingest.spans()).extracting(Span::name).containsExactly("good", "bad-\uFFFD\uFFFD");
  }

  @Test
  void truncatedProtobufWithInvalidUtf8IsStill400() throws Exception {
    byte[] body = traces(span(TRACE, "00f067aa0ba902b8", "bad-QQQQ")).toByteArray();
    body = replaceAll(body, "QQQQ".getBytes(StandardCharsets.US_ASCII), new byte[] {'X', (byte) 0xC3, '(', 'X'});
    var r = postProtobuf("/v1/traces", Arrays.copyOf(body, body.length - 3));
    assertThat(r.status().code()).isEqualTo(400);
  }

  @Test
  void getIsNotAllowed() {
    var r = com.linecorp.armeria.client.WebClient.of(server.httpUri()).get("/v1/traces").aggregate().join();
    assertThat(r.status().code()).isEqualTo(405);
  }

  private static void assertThatGeneratedParserRefuses(byte[] body) {
    try {
      io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.parseFrom(body);
      throw new AssertionError("expected protobuf-java to refuse invalid UTF-8");
    } catch (InvalidProtocolBufferException expected) {
      // this is the case the lenient path exists for
    }
  }

  static byte[] replaceAll(byte[] in, byte[] what, byte[] with) {
    assertThat(what).hasSameSizeAs(with);
    byte[] out = in.clone();
    int found = 0;
    for (int i = 0; i + what.length <= out.length; i++) {
      if (Arrays.equals(out, i, i + what.length, what, 0, what.length)) {
        System.arraycopy(with, 0, out, i, with.length);
        found++;
      }
    }
    assertThat(found).isPositive();
    return out;
  }
}
