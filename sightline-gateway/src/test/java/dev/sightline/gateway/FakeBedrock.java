package dev.sightline.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * A local Bedrock runtime for tests that checks every request's SigV4 signature as AWS would:
 * it recomputes the signature over what it received (method, raw path, signed headers, body)
 * with the one set of credentials it knows, for service {@code bedrock} in {@link #REGION}, and
 * answers 403 {@code InvalidSignatureException} when they differ. So a request passed on with the
 * app's signature (made for the gateway's host) fails here; only a re-signed one passes.
 *
 * <p>Converse answers a message with cache usage; ConverseStream and InvokeModelWithResponseStream
 * stream AWS event stream messages, the first content {@link #FIRST_DELTA_MS} after the request,
 * then one every 20 ms. Model ids ending in {@code -throttled} answer 429 ThrottlingException,
 * {@code -stream-exception} breaks off its stream with a {@code throttlingException} message,
 * {@code -corrupt} sends a message with a broken CRC.
 */
final class FakeBedrock implements AutoCloseable {
  static final String REGION = "us-west-2";
  static final AwsBasicCredentials CREDENTIALS = AwsBasicCredentials.create("AKIDGATEWAYEXAMPLE",
      "gateway/secret/key/EXAMPLEKEY0000000000000");
  static final long FIRST_DELTA_MS = 120;
  static final String CONVERSE_JSON = "{\"metrics\":{\"latencyMs\":321},\"output\":{\"message\":{\"content\":"
      + "[{\"text\":\"Hello from Bedrock.\"}],\"role\":\"assistant\"}},\"stopReason\":\"end_turn\","
      + "\"usage\":{\"cacheReadInputTokens\":1200,\"cacheWriteInputTokens\":300,\"inputTokens\":12,"
      + "\"outputTokens\":6,\"totalTokens\":1518}}";
  static final String INVOKE_JSON = "{\"id\":\"msg_bdrk_01\",\"type\":\"message\",\"role\":\"assistant\","
      + "\"model\":\"claude-3-5-sonnet-20241022\",\"content\":[{\"type\":\"text\",\"text\":\"Hi from Claude on Bedrock.\"}],"
      + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":10,"
      + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":7}}";
  static final String LLAMA_JSON = "{\"generation\":\"Hi there.\",\"prompt_token_count\":8,"
      + "\"generation_token_count\":3,\"stop_reason\":\"stop\"}";
  static final String THROTTLED = "{\"message\":\"Too many requests, please wait before trying again.\"}";
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  final Server server;
  volatile RequestHeaders lastHeaders;
  volatile byte[] lastBody;
  /** Every signature this upstream accepted or refused, to check none of them is recorded. */
  final List<String> signatures = new CopyOnWriteArrayList<>();
  volatile int refused;

  FakeBedrock() {
    server = Server.builder()
        .http(0)
        .requestTimeout(Duration.ZERO)
        .serviceUnder("/model/", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(a -> handle(ctx, a))))
        .build();
    server.start().join();
  }

  String base() {
    return "http://127.0.0.1:" + server.activeLocalPort();
  }

  private HttpResponse handle(ServiceRequestContext ctx, AggregatedHttpRequest a) {
    lastHeaders = a.headers();
    lastBody = a.content().array();
    String problem = verifySignature(ctx, a);
    if (problem != null) {
      refused++;
      return HttpResponse.of(ResponseHeaders.builder(HttpStatus.FORBIDDEN).contentType(MediaType.JSON)
          .add("x-amzn-errortype", "InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/")
          .build(), HttpData.ofUtf8("{\"message\":\"" + problem + "\"}"));
    }
    String path = ctx.mappedPath();
    int slash = path.lastIndexOf('/');
    String model = URLDecoder.decode(path.substring(0, slash).replace("+", "%2B"), StandardCharsets.UTF_8);
    String action = path.substring(slash + 1);
    if (model.endsWith("-throttled")) {
      return HttpResponse.of(ResponseHeaders.builder(HttpStatus.TOO_MANY_REQUESTS).contentType(MediaType.JSON)
          .add("x-amzn-requestid", "req-throttled")
          .add("x-amzn-errortype", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/")
          .build(), HttpData.ofUtf8(THROTTLED));
    }
    return switch (action) {
      case "converse" -> HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.JSON)
          .add("x-amzn-requestid", "req-converse").build(), HttpData.ofUtf8(CONVERSE_JSON));
      case "invoke" -> model.contains("meta.llama")
          ? HttpResponse.of(invokeHeaders(8, 3), HttpData.ofUtf8(LLAMA_JSON))
          : HttpResponse.of(invokeHeaders(10, 7), HttpData.ofUtf8(INVOKE_JSON));
      case "converse-stream" -> stream(ctx, converseStream(model));
      case "invoke-with-response-stream" -> stream(ctx, invokeStream());
      default -> HttpResponse.of(HttpStatus.NOT_FOUND, MediaType.JSON, "{\"message\":\"unknown operation\"}");
    };
  }

  private static ResponseHeaders invokeHeaders(int in, int out) {
    return ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.JSON)
        .add("x-amzn-requestid", "req-invoke")
        .add("x-amzn-bedrock-input-token-count", Integer.toString(in))
        .add("x-amzn-bedrock-output-token-count", Integer.toString(out))
        .add("x-amzn-bedrock-invocation-latency", "412").build();
  }

  /** The event stream a ConverseStream call on {@code model} answers: the first message at once, then one per step. */
  static List<byte[]> converseStream(String model) {
    List<byte[]> m = new ArrayList<>();
    m.add(event("messageStart", "{\"p\":\"abcdefghijk\",\"role\":\"assistant\"}"));
    for (String t : new String[] {"Hello", " from", " Bedrock", " streaming", "."}) {
      m.add(event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"" + t + "\"},\"p\":\"abcd\"}"));
    }
    if (model.endsWith("-stream-exception")) {
      m.add(message(Map.of(":message-type", "exception", ":exception-type", "throttlingException",
          ":content-type", "application/json"), "{\"message\":\"Too many tokens, please wait before trying again.\"}"));
      return m;
    }
    if (model.endsWith("-corrupt")) {
      byte[] bad = event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"x\"}}");
      bad[bad.length - 1] ^= 0x5a;
      m.add(bad);
      return m;
    }
    m.add(event("contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abcdefgh\"}"));
    m.add(event("messageStop", "{\"p\":\"abcdefghijklmnopq\",\"stopReason\":\"end_turn\"}"));
    m.add(event("metadata", "{\"metrics\":{\"latencyMs\":250},\"p\":\"abc\",\"usage\":{\"inputTokens\":25,"
        + "\"outputTokens\":5,\"totalTokens\":30}}"));
    return m;
  }

  /** An InvokeModelWithResponseStream answer for a Claude model: Anthropic's events, base64 in {@code chunk} events. */
  static List<byte[]> invokeStream() {
    List<String> chunks = new ArrayList<>();
    chunks.add("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bdrk_02\",\"type\":\"message\",\"role\":\"assistant\","
        + "\"model\":\"claude-3-5-sonnet-20241022\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":14,\"output_tokens\":1}}}");
    chunks.add("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    for (String t : new String[] {"Hi", " from", " Claude."}) {
      chunks.add("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + t + "\"}}");
    }
    chunks.add("{\"type\":\"content_block_stop\",\"index\":0}");
    chunks.add("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
        + "\"usage\":{\"output_tokens\":9}}");
    chunks.add("{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":14,"
        + "\"outputTokenCount\":9,\"invocationLatency\":612,\"firstByteLatency\":118}}");
    List<byte[]> m = new ArrayList<>();
    for (String c : chunks) {
      String b64 = Base64.getEncoder().encodeToString(c.getBytes(StandardCharsets.UTF_8));
      m.add(event("chunk", "{\"bytes\":\"" + b64 + "\",\"p\":\"abcdefghijklmnopqrstuvwxyzABCDEF\"}"));
    }
    return m;
  }

  static byte[] concat(List<byte[]> messages) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    messages.forEach(out::writeBytes);
    return out.toByteArray();
  }

  private static byte[] event(String type, String json) {
    return message(Map.of(":event-type", type, ":content-type", "application/json", ":message-type", "event"), json);
  }

  private static byte[] message(Map<String, String> headers, String json) {
    Map<String, HeaderValue> h = new LinkedHashMap<>();
    headers.forEach((k, v) -> h.put(k, HeaderValue.fromString(v)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new Message(h, json.getBytes(StandardCharsets.UTF_8)).encode(out);
    return out.toByteArray();
  }

  private static HttpResponse stream(ServiceRequestContext ctx, List<byte[]> messages) {
    HttpResponseWriter w = HttpResponse.streaming();
    w.write(ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.parse("application/vnd.amazon.eventstream"))
        .add("x-amzn-requestid", "req-stream").build());
    w.write(HttpData.wrap(messages.get(0)));
    for (int i = 1; i < messages.size(); i++) {
      byte[] m = messages.get(i);
      boolean last = i == messages.size() - 1;
      // split each message in two writes, so the gateway must reassemble frames across chunks
      int half = m.length / 2;
      ctx.eventLoop().schedule(() -> {
        w.tryWrite(HttpData.wrap(java.util.Arrays.copyOfRange(m, 0, half)));
        w.tryWrite(HttpData.wrap(java.util.Arrays.copyOfRange(m, half, m.length)));
        if (last) {
          w.close();
        }
      }, FIRST_DELTA_MS + 20L * (i - 1), TimeUnit.MILLISECONDS);
    }
    return w;
  }

  /** Null when the request carries a valid SigV4 signature by {@link #CREDENTIALS} for bedrock in {@link #REGION}. */
  private String verifySignature(ServiceRequestContext ctx, AggregatedHttpRequest a) {
    RequestHeaders h = a.headers();
    String auth = h.get("authorization");
    String date = h.get("x-amz-date");
    if (auth == null || date == null) {
      return "Missing Authentication Token";
    }
    signatures.add(auth.substring(auth.indexOf("Signature=") + "Signature=".length()));
    String scope = CREDENTIALS.accessKeyId() + "/" + date.substring(0, 8) + "/" + REGION + "/bedrock/aws4_request";
    if (!auth.contains("Credential=" + scope + ",")) {
      return "The security token included in the request is invalid (credential scope is not " + scope + ")";
    }
    String signedHeaders = auth.replaceAll(".*SignedHeaders=([^,]+),.*", "$1");
    String authority = h.authority();
    int colon = authority.lastIndexOf(':');
    String rawPath = ctx.rawPath();
    SdkHttpRequest.Builder r = SdkHttpRequest.builder().protocol("http")
        .host(authority.substring(0, colon)).port(Integer.parseInt(authority.substring(colon + 1)))
        .method(SdkHttpMethod.fromValue(h.method().name())).encodedPath(rawPath);
    for (String name : signedHeaders.split(";")) {
      if (!name.equals("host")) {
        r.putHeader(name, h.getAll(name));
      }
    }
    Instant at = Instant.from(AMZ_DATE.parse(date));
    SignedRequest expected = AwsV4HttpSigner.create().sign(s -> s.identity(CREDENTIALS)
        .request(r.build())
        .payload(ContentStreamProvider.fromByteArray(a.content().array()))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
        .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)));
    String want = expected.request().firstMatchingHeader("Authorization").orElse("");
    if (!want.equals(auth)) {
      return "The request signature we calculated does not match the signature you provided.";
    }
    return null;
  }

  static JsonNode json(byte[] b) {
    try {
      return FakeOpenAi.JSON.readTree(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop().join();
  }
}
