package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sightline.model.CallStatus;
import dev.sightline.model.CostStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Span;
import dev.sightline.model.TtftSource;
import dev.sightline.model.Usage;
import dev.sightline.pricing.CostCalculator;
import dev.sightline.pricing.PriceCatalog;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

/**
 * The real AWS SDK v2 (BedrockRuntimeClient and BedrockRuntimeAsyncClient) pointed at
 * {@code /gateway/bedrock}, signing with the app's own credentials for the gateway's host. The
 * gateway re-signs for a local Bedrock that checks every signature with the gateway's
 * credentials; the SDK gets what it gets from that Bedrock directly, and each call is recorded
 * with exact tokens and, through the pricing catalog, exact cost.
 */
class BedrockSdkThroughGatewayTest {
  static final String MODEL = "us.anthropic.claude-3-5-sonnet-20241022-v2:0";
  static final AwsBasicCredentials APP = AwsBasicCredentials.create("AKIDAPPEXAMPLE", "app/secret/key/EXAMPLEKEY00000000000000");
  static FakeBedrock upstream;
  static GatewayHarness gateway;
  static BedrockRuntimeClient viaGateway;
  static BedrockRuntimeClient direct;
  static BedrockRuntimeAsyncClient asyncViaGateway;
  static BedrockRuntimeAsyncClient asyncDirect;
  static final CostCalculator PRICER = new CostCalculator(PriceCatalog.bundled());

  @BeforeAll
  static void start() {
    upstream = new FakeBedrock();
    gateway = new GatewayHarness(config(), StaticCredentialsProvider.create(FakeBedrock.CREDENTIALS));
    URI viaUri = URI.create(gateway.base() + "/gateway/bedrock");
    URI directUri = URI.create(upstream.base());
    viaGateway = sync(viaUri, APP);
    direct = sync(directUri, FakeBedrock.CREDENTIALS);
    asyncViaGateway = async(viaUri, APP);
    asyncDirect = async(directUri, FakeBedrock.CREDENTIALS);
  }

  static GatewayConfig config() {
    return GatewayConfig.defaults().withBedrock(FakeBedrock.REGION, URI.create(upstream.base()))
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30));
  }

  static BedrockRuntimeClient sync(URI endpoint, AwsBasicCredentials credentials) {
    return BedrockRuntimeClient.builder().region(Region.US_WEST_2).endpointOverride(endpoint)
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
  }

  static BedrockRuntimeAsyncClient async(URI endpoint, AwsBasicCredentials credentials) {
    return BedrockRuntimeAsyncClient.builder().region(Region.US_WEST_2).endpointOverride(endpoint)
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .httpClientBuilder(NettyNioAsyncHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
  }

  @AfterAll
  static void stop() {
    viaGateway.close();
    direct.close();
    asyncViaGateway.close();
    asyncDirect.close();
    gateway.close();
    upstream.close();
  }

  @BeforeEach
  void reset() {
    gateway.ingest.reset();
    upstream.signatures.clear();
    upstream.refused = 0;
  }

  static ConverseRequest converse(String model) {
    return ConverseRequest.builder().modelId(model)
        .messages(Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText("Say hello")).build())
        .build();
  }

  static ConverseStreamRequest converseStream(String model) {
    return ConverseStreamRequest.builder().modelId(model)
        .messages(Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText("Say hello")).build())
        .build();
  }

  @Test
  void converseIsReSignedRecordedAndPricedExactly() {
    ConverseResponse r = viaGateway.converse(converse(MODEL));
    ConverseResponse straight = direct.converse(converse(MODEL));
    assertThat(r.equalsBySdkFields(straight)).as("%s vs %s", r, straight).isTrue();
    // the same status and headers too, but for the gateway's overhead header and the clock
    assertThat(r.sdkHttpResponse().statusCode()).isEqualTo(straight.sdkHttpResponse().statusCode());
    var headers = new java.util.TreeMap<>(r.sdkHttpResponse().headers());
    headers.keySet().removeIf(k -> k.equalsIgnoreCase(Relay.OVERHEAD_HEADER) || k.equalsIgnoreCase("date"));
    var straightHeaders = new java.util.TreeMap<>(straight.sdkHttpResponse().headers());
    straightHeaders.keySet().removeIf(k -> k.equalsIgnoreCase("date"));
    assertThat(headers).isEqualTo(straightHeaders);
    assertThat(r.output().message().content().get(0).text()).isEqualTo("Hello from Bedrock.");
    assertThat(upstream.refused).as("signatures the upstream refused").isZero();
    assertThat(upstream.lastHeaders.get("authorization")).contains("Credential=" + FakeBedrock.CREDENTIALS.accessKeyId() + "/");

    Span span = gateway.ingest.single();
    assertThat(span.name()).isEqualTo("chat " + MODEL);
    LlmCall call = span.llm();
    assertThat(call.provider()).isEqualTo("aws.bedrock");
    assertThat(call.operation()).isEqualTo("chat");
    assertThat(call.requestModel()).isEqualTo(MODEL);
    assertThat(call.streaming()).isFalse();
    // inputTokens 12 excludes the 1200 read from the cache and the 300 written to it
    assertThat(call.usage()).isEqualTo(Usage.reported(12, 1200, 300, 0, 6, 0));
    assertThat(call.outcome().finishReasons()).containsExactly("end_turn");
    assertThat(span.attributes()).containsEntry("aws.bedrock.latency_ms", 321.0);
    assertThat(span.attributes()).containsEntry("server.address", "127.0.0.1");

    // Bedrock's regional Claude 3.5 Sonnet v2 price: 12 × 3e-6 + 1200 × 3e-7 + 300 × 3.75e-6 + 6 × 1.5e-5
    var cost = PRICER.price(call).cost();
    assertThat(cost.status()).isEqualTo(CostStatus.PRICED);
    assertThat(cost.totalUsd()).isEqualByComparingTo(new BigDecimal("0.001611"));

    // neither the app's signature nor the gateway's is recorded
    String recorded = span.toString();
    assertThat(upstream.signatures).isNotEmpty();
    upstream.signatures.forEach(sig -> assertThat(recorded).doesNotContain(sig));
    assertThat(recorded).doesNotContain(APP.accessKeyId()).doesNotContain(FakeBedrock.CREDENTIALS.accessKeyId());
  }

  @Test
  void converseStreamReachesTheAsyncSdkUnchangedAndIsTimed() {
    List<ConverseStreamOutput> via = new CopyOnWriteArrayList<>();
    asyncViaGateway.converseStream(converseStream(MODEL),
        ConverseStreamResponseHandler.builder().subscriber(via::add).build()).join();
    List<ConverseStreamOutput> straight = new CopyOnWriteArrayList<>();
    asyncDirect.converseStream(converseStream(MODEL),
        ConverseStreamResponseHandler.builder().subscriber(straight::add).build()).join();
    assertThat(via).hasSize(9).isEqualTo(straight);
    assertThat(upstream.refused).isZero();

    Span span = gateway.ingest.single();
    LlmCall call = span.llm();
    assertThat(call.streaming()).isTrue();
    assertThat(call.usage()).isEqualTo(Usage.reported(25, 0, 0, 0, 5, 0));
    assertThat(call.outcome().finishReasons()).containsExactly("end_turn");
    assertThat(call.timing().ttftSource()).isEqualTo(TtftSource.GATEWAY);
    // messageStart comes at once; the first text delta FIRST_DELTA_MS later
    assertThat(call.timing().ttftNanos()).isGreaterThanOrEqualTo((FakeBedrock.FIRST_DELTA_MS - 1) * 1_000_000L)
        .isLessThan((FakeBedrock.FIRST_DELTA_MS + 80) * 1_000_000L);
    assertThat(span.attributes().get("sightline.gateway.content_chunks")).isEqualTo(5L);
    // deltas are scheduled 20 ms apart; a loaded machine may bunch them, so only the order is asserted
    assertThat(call.timing().tpotMs(5)).isPositive().isLessThan(100.0);
    assertThat(span.attributes()).containsEntry("aws.bedrock.latency_ms", 250.0)
        .doesNotContainKey("sightline.gateway.observe_error");
    // 25 × 3e-6 + 5 × 1.5e-5
    assertThat(PRICER.price(call).cost().totalUsd()).isEqualByComparingTo(new BigDecimal("0.00015"));
  }

  @Test
  void theEventStreamBytesPassThroughUnchanged() {
    HttpResponse<byte[]> r = gateway.post(gateway.base() + "/gateway/bedrock/model/" + MODEL.replace(":", "%3A")
        + "/converse-stream", "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/vnd.amazon.eventstream");
    assertThat(r.body()).isEqualTo(FakeBedrock.concat(FakeBedrock.converseStream(MODEL)));
    assertThat(gateway.ingest.single().llm().usage().outputTokens()).isEqualTo(5);
  }

  @Test
  void invokeModelReadsAnthropicsUsageAndOtherModelsFromTheTokenCountHeaders() {
    String claude = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":100,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    InvokeModelResponse r = viaGateway.invokeModel(InvokeModelRequest.builder().modelId(MODEL)
        .body(SdkBytes.fromUtf8String(claude)).build());
    assertThat(r.body().asUtf8String()).isEqualTo(FakeBedrock.INVOKE_JSON);
    LlmCall call = gateway.ingest.single().llm();
    assertThat(call.usage()).isEqualTo(Usage.reported(10, 0, 0, 0, 7, 0));
    assertThat(call.responseModel()).isEqualTo("claude-3-5-sonnet-20241022");
    assertThat(call.outcome().finishReasons()).containsExactly("end_turn");
    gateway.ingest.reset();

    String llama = "meta.llama3-1-8b-instruct-v1:0";
    InvokeModelResponse l = viaGateway.invokeModel(InvokeModelRequest.builder().modelId(llama)
        .body(SdkBytes.fromUtf8String("{\"prompt\":\"hi\",\"max_gen_len\":32}")).build());
    assertThat(l.body().asUtf8String()).isEqualTo(FakeBedrock.LLAMA_JSON);
    LlmCall fromHeaders = gateway.ingest.single().llm();
    assertThat(fromHeaders.requestModel()).isEqualTo(llama);
    assertThat(fromHeaders.usage()).isEqualTo(Usage.reported(8, 0, 0, 0, 3, 0));
    assertThat(upstream.refused).isZero();
  }

  @Test
  void invokeModelWithResponseStreamIsTimedFromTheWrappedAnthropicEvents() {
    List<String> chunks = new CopyOnWriteArrayList<>();
    asyncViaGateway.invokeModelWithResponseStream(InvokeModelWithResponseStreamRequest.builder().modelId(MODEL)
            .body(SdkBytes.fromUtf8String("{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":100,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
        InvokeModelWithResponseStreamResponseHandler.builder()
            .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder()
                .onChunk(c -> chunks.add(c.bytes().asUtf8String())).build()).build()).join();
    assertThat(chunks).hasSize(8);
    assertThat(chunks.get(2)).contains("\"Hi\"");

    Span span = gateway.ingest.single();
    LlmCall call = span.llm();
    assertThat(call.streaming()).isTrue();
    // message_start's input side and message_delta's cumulative output
    assertThat(call.usage()).isEqualTo(Usage.reported(14, 0, 0, 0, 9, 0));
    assertThat(call.responseModel()).isEqualTo("claude-3-5-sonnet-20241022");
    assertThat(span.attributes().get("sightline.gateway.content_chunks")).isEqualTo(3L);
    assertThat(call.timing().ttftNanos()).isGreaterThanOrEqualTo((FakeBedrock.FIRST_DELTA_MS - 1) * 1_000_000L);
    assertThat(span.attributes()).containsEntry("aws.bedrock.first_byte_latency_ms", 118.0);
  }

  @Test
  void throttlingPassesThroughToTheSdkAndIsRecordedWithItsType() {
    assertThatThrownBy(() -> viaGateway.converse(converse(MODEL + "-throttled")))
        .isInstanceOfSatisfying(ThrottlingException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(429);
          assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Too many requests, please wait before trying again.");
        });
    LlmCall call = gateway.ingest.single().llm();
    assertThat(call.outcome().status()).isEqualTo(CallStatus.ERROR);
    assertThat(call.outcome().httpStatus()).isEqualTo(429);
    assertThat(call.outcome().errorType()).isEqualTo("ThrottlingException");
  }

  @Test
  void anExceptionInsideTheStreamAndACorruptStreamAreRecorded() {
    String body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}";
    HttpResponse<byte[]> r = gateway.post(gateway.base() + "/gateway/bedrock/model/m-stream-exception/converse-stream", body);
    assertThat(r.body()).isEqualTo(FakeBedrock.concat(FakeBedrock.converseStream("m-stream-exception")));
    LlmCall call = gateway.ingest.single().llm();
    assertThat(call.outcome().status()).isEqualTo(CallStatus.ERROR);
    assertThat(call.outcome().errorType()).isEqualTo("throttlingException");
    // the metadata event never came: the five text deltas seen are the estimated output
    assertThat(call.usage().source()).isEqualTo(dev.sightline.model.UsageSource.ESTIMATED);
    assertThat(call.usage().outputTokens()).isEqualTo(5);
    gateway.ingest.reset();

    HttpResponse<byte[]> corrupt = gateway.post(gateway.base() + "/gateway/bedrock/model/m-corrupt/converse-stream", body);
    assertThat(corrupt.body()).isEqualTo(FakeBedrock.concat(FakeBedrock.converseStream("m-corrupt")));
    Span span = gateway.ingest.single();
    assertThat(span.attributes().get("sightline.gateway.observe_error")).asString().contains("CRC");
    assertThat(span.attributes().get("sightline.gateway.content_chunks")).isEqualTo(5L);
  }

  @Test
  void withoutCredentialsTheClientGetsA502ThatSaysHowToGiveThem() {
    AwsCredentialsProvider none = () -> {
      throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
    };
    try (GatewayHarness bare = new GatewayHarness(config(), none)) {
      HttpResponse<byte[]> r = bare.post(bare.base() + "/gateway/bedrock/model/" + MODEL + "/converse",
          "{\"messages\":[]}");
      assertThat(r.statusCode()).isEqualTo(502);
      String text = new String(r.body(), StandardCharsets.UTF_8);
      assertThat(FakeBedrock.json(r.body()).path("error").path("code").asText()).isEqualTo("bedrock_signing_failed");
      assertThat(text).contains("AWS_ACCESS_KEY_ID").contains("Unable to load credentials");
    }
  }

  @Test
  void withCaptureOffTheRouteStillReSignsButRecordsNothing() {
    try (GatewayHarness off = new GatewayHarness(config().withRouteCapture("bedrock", CaptureMode.OFF),
        StaticCredentialsProvider.create(FakeBedrock.CREDENTIALS));
        BedrockRuntimeClient client = sync(URI.create(off.base() + "/gateway/bedrock"), APP)) {
      assertThat(client.converse(converse(MODEL)).stopReasonAsString()).isEqualTo("end_turn");
      assertThat(upstream.refused).isZero();
      RecordingIngest.sleep(200);
      assertThat(off.ingest.spans).isEmpty();
    }
  }

  @Test
  void withoutGivenCredentialsTheStandardProviderChainSigns() {
    // the chain's first source, Java system properties, so that nothing else is consulted
    System.setProperty("aws.accessKeyId", FakeBedrock.CREDENTIALS.accessKeyId());
    System.setProperty("aws.secretAccessKey", FakeBedrock.CREDENTIALS.secretAccessKey());
    try (GatewayHarness chain = new GatewayHarness(config(), null);
        BedrockRuntimeClient client = sync(URI.create(chain.base() + "/gateway/bedrock"), APP)) {
      assertThat(client.converse(converse(MODEL)).usage().outputTokens()).isEqualTo(6);
      assertThat(upstream.refused).isZero();
      assertThat(chain.ingest.single().llm().usage().inputCacheRead()).isEqualTo(1200);
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
  }
}
