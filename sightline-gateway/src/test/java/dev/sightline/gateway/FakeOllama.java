package dev.sightline.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A local Ollama for tests, speaking the native API. {@code /api/generate} streams the real
 * {@code dolphin3:8b} capture from the fixtures, one NDJSON line at a time (its closing line split
 * across two writes); {@code /api/chat} streams a reply with a thinking chunk and a tool call.
 * Both stream unless the body says {@code "stream": false}, as Ollama does. Model {@code missing}
 * answers Ollama's 404, {@code stream-error} breaks off with an {@code error} line. The first line
 * comes {@link #FIRST_LINE_MS} after the request, then one every {@link #GAP_MS}.
 */
final class FakeOllama implements AutoCloseable {
  static final long FIRST_LINE_MS = 150;
  static final long GAP_MS = 30;
  static final MediaType NDJSON = MediaType.parse("application/x-ndjson");
  static final String NOT_FOUND = "{\"error\":\"model \\\"missing\\\" not found, try pulling it first\"}";
  static final String CHAT_DONE = "{\"model\":\"llama3.2\",\"created_at\":\"2025-08-23T13:32:50.1000000Z\","
      + "\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done_reason\":\"stop\",\"done\":true,"
      + "\"total_duration\":4883583458,\"load_duration\":1334875,\"prompt_eval_count\":26,"
      + "\"prompt_eval_duration\":342546000,\"eval_count\":282,\"eval_duration\":4535599000}";

  final Server server;
  volatile RequestHeaders lastHeaders;
  volatile byte[] lastBody;
  /** The fixture's lines, compacted (the file is pretty-printed), each ending in a newline. */
  final List<String> generateLines;

  FakeOllama() {
    generateLines = fixtureLines();
    server = Server.builder()
        .http(0)
        .requestTimeout(Duration.ZERO)
        .service("/api/generate", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(a -> generate(ctx, a))))
        .service("/api/chat", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(a -> chat(ctx, a))))
        .service("/api/tags", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.JSON,
            "{\"models\":[{\"name\":\"dolphin3:8b\"}]}"))
        .build();
    server.start().join();
  }

  String base() {
    return "http://127.0.0.1:" + server.activeLocalPort();
  }

  static List<String> fixtureLines() {
    try {
      byte[] pretty = Files.readAllBytes(FakeOpenAi.fixtures().resolve("local-llm/ollama-generate-stream-dolphin3.jq-pretty.json"));
      List<String> out = new ArrayList<>();
      try (MappingIterator<JsonNode> it = FakeOpenAi.JSON.readerFor(JsonNode.class).readValues(pretty)) {
        while (it.hasNext()) {
          out.add(FakeOpenAi.JSON.writeValueAsString(it.next()) + "\n");
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode remember(AggregatedHttpRequest a) {
    lastHeaders = a.headers();
    lastBody = a.content().array();
    try {
      return FakeOpenAi.JSON.readTree(lastBody);
    } catch (IOException e) {
      return null;
    }
  }

  private HttpResponse generate(ServiceRequestContext ctx, AggregatedHttpRequest a) {
    JsonNode body = remember(a);
    if (body == null) {
      return HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.JSON, "{\"error\":\"invalid JSON\"}");
    }
    String model = body.path("model").asText("");
    if (model.equals("missing")) {
      return HttpResponse.of(HttpStatus.NOT_FOUND, MediaType.JSON_UTF_8, NOT_FOUND);
    }
    if (!body.path("stream").asBoolean(true)) {
      String last = generateLines.get(generateLines.size() - 1).trim();
      String whole = last.replace("\"response\":\"\"", "\"response\":\"Fluffy white tail.\"");
      return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, whole);
    }
    List<String> parts = new ArrayList<>(generateLines.subList(0, generateLines.size() - 1));
    if (model.equals("stream-error")) {
      parts.add("{\"error\":\"an error was encountered while running the model: unexpected EOF\"}\n");
    } else {
      String last = generateLines.get(generateLines.size() - 1);
      int cut = last.indexOf("\"prompt_eval_count\"") + 5;
      parts.add(last.substring(0, cut));
      parts.add(last.substring(cut));
    }
    return script(ctx, parts);
  }

  private HttpResponse chat(ServiceRequestContext ctx, AggregatedHttpRequest a) {
    JsonNode body = remember(a);
    if (body == null) {
      return HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.JSON, "{\"error\":\"invalid JSON\"}");
    }
    String model = body.path("model").asText("");
    if (model.equals("missing")) {
      return HttpResponse.of(HttpStatus.NOT_FOUND, MediaType.JSON_UTF_8, NOT_FOUND);
    }
    if (!body.path("stream").asBoolean(true)) {
      return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, CHAT_DONE.replace("\"content\":\"\"",
          "\"content\":\"Hello! How can I help?\""));
    }
    List<String> parts = new ArrayList<>();
    parts.add(chatLine("\"content\":\"\",\"thinking\":\"The user says hi.\""));
    for (String t : new String[] {"Hello", "!", " How", " can", " I", " help", "?"}) {
      parts.add(chatLine("\"content\":\"" + t + "\""));
    }
    parts.add(chatLine("\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"get_weather\","
        + "\"arguments\":{\"city\":\"Paris\"}}}]"));
    parts.add(CHAT_DONE + "\n");
    return script(ctx, parts);
  }

  private static String chatLine(String message) {
    return "{\"model\":\"llama3.2\",\"created_at\":\"2025-08-23T13:32:49.8000000Z\",\"message\":{\"role\":\"assistant\","
        + message + "},\"done\":false}\n";
  }

  private static HttpResponse script(ServiceRequestContext ctx, List<String> parts) {
    HttpResponseWriter w = HttpResponse.streaming();
    w.write(ResponseHeaders.builder(HttpStatus.OK).contentType(NDJSON).add("date", "Sat, 23 Aug 2025 13:32:49 GMT")
        .build());
    for (int i = 0; i < parts.size(); i++) {
      String p = parts.get(i);
      boolean last = i == parts.size() - 1;
      ctx.eventLoop().schedule(() -> {
        w.tryWrite(HttpData.ofUtf8(p));
        if (last) {
          w.close();
        }
      }, FIRST_LINE_MS + GAP_MS * i, TimeUnit.MILLISECONDS);
    }
    return w;
  }

  @Override
  public void close() {
    server.stop().join();
  }
}
