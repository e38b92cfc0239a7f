package dev.sightline.gateway;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.logging.ClientConnectionTimings;
import dev.sightline.model.Usage;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;

/**
 * One proxied call on the wire: the clock readings taken as it went and what the response showed.
 * Confined to the server request's event loop until the call ends; {@link CallSpan} then builds its
 * record once, on the recorder's thread (the hand-over orders every write before it).
 */
final class Exchange {
  /** Non-streamed bodies are read for usage up to this size; beyond it the call is recorded without usage. */
  static final int MAX_OBSERVED_BODY = 16 << 20;

  /** How the call ended. */
  enum End { COMPLETED, CANCELLED, UPSTREAM_UNREACHABLE, UPSTREAM_TIMEOUT, UPSTREAM_FAILED }

  /** How a streamed response is cut into events: Server-Sent Events, NDJSON (Ollama), AWS event stream (Bedrock). */
  enum Framing {
    NONE, SSE, NDJSON, EVENT_STREAM;

    static Framing of(com.linecorp.armeria.common.MediaType ct) {
      if (ct == null) {
        return NONE;
      }
      return switch (ct.subtype()) {
        case "event-stream" -> SSE;
        case "x-ndjson", "ndjson", "jsonl" -> NDJSON;
        case "vnd.amazon.eventstream" -> EVENT_STREAM;
        default -> NONE;
      };
    }
  }

  final Route route;
  final Operation op;
  final RequestInfo request;
  final Attribution attribution;
  final boolean usageInjected;
  final boolean captureContent;
  /** Bedrock: the model id from the request path (the body does not name it). */
  String bedrockModel;
  /** The request body as sent, kept to count its tokens if the provider reports none. */
  byte[] requestBody;
  /** The project the access decision put the call in. */
  String project = dev.sightline.model.TelemetryBatch.DEFAULT_PROJECT;

  final long receivedNanos;
  long sentNanos;
  long sentEpochNanos;
  long headersNanos = -1;
  long endNanos;
  /** The gateway's own processing time: before sending, around the headers, and per chunk. */
  long overheadNanos;
  long preFirstByteOverheadNanos;
  int status;
  Framing framing = Framing.NONE;
  private boolean filtering;
  String contentEncoding;
  /** Bedrock: the {@code x-amzn-errortype} of an error answer, and InvokeModel's token-count headers. */
  String amznErrorType;
  Usage headerUsage = Usage.NONE;
  private SseSplitter splitter;
  private LineSplitter lines;
  private EventStreamDecoder frames;
  StreamTally tally;
  ByteArrayOutputStream body;
  boolean bodyTooLarge;
  int malformedEvents;
  String observeError;
  ClientConnectionTimings connectTimings;
  /** The socket connect's duration when the direct upstream client opened a connection for this call, else -1. */
  long upstreamConnectNanos = -1;
  /** When the chunk being fed arrived: the framing's sink reads it (one sink per call, not a lambda per chunk). */
  private long eventNanos;
  private SseSplitter.Sink eventSink;
  private LineSplitter.Sink lineSink;
  private EventStreamDecoder.Sink messageSink;
  /** Each event loop's buffer for reading pooled chunks ({@link #onData} runs on the call's event loop only). */
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[8192]);
  /** Larger chunks get an array of their own, so that no event loop keeps a large buffer. */
  private static final int SCRATCH_MAX = 64 << 10;

  Exchange(Route route, Operation op, RequestInfo request, Attribution attribution, boolean usageInjected,
      boolean captureContent, long receivedNanos) {
    this.route = route;
    this.op = op;
    this.request = request;
    this.attribution = attribution;
    this.usageInjected = usageInjected;
    this.captureContent = captureContent;
    this.receivedNanos = receivedNanos;
  }

  boolean recorded() {
    return op != null;
  }

  void sent(long nanos) {
    sentNanos = nanos;
    Instant now = Instant.now();
    sentEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    overheadNanos += nanos - receivedNanos;
  }

  /** Final (non-1xx) response headers arrived at {@code nanos}. */
  void onHeaders(ResponseHeaders h, long nanos) {
    headersNanos = nanos;
    status = h.status().code();
    if (!recorded()) {
      return;
    }
    framing = Framing.of(h.contentType());
    contentEncoding = h.get("content-encoding");
    if (op.isBedrock()) {
      String t = h.get("x-amzn-errortype");
      if (t != null) {
        int colon = t.indexOf(':');
        amznErrorType = (colon >= 0 ? t.substring(0, colon) : t).trim();
      }
      headerUsage = BedrockUsage.headers(h);
    }
    switch (framing) {
      case SSE -> {
        filtering = usageInjected;
        splitter = new SseSplitter(filtering); // raw events are needed only to forward them filtered
        eventSink = e -> observe(e, eventNanos);
      }
      case NDJSON -> {
        lines = new LineSplitter();
        lineSink = line -> observeLine(line, eventNanos);
      }
      case EVENT_STREAM -> {
        frames = new EventStreamDecoder();
        messageSink = m -> observeMessage(m, eventNanos);
      }
      case NONE -> body = new ByteArrayOutputStream(1024);
    }
    if (framing != Framing.NONE) {
      tally = new StreamTally(op, captureContent);
    }
  }

  /** Whether forwarded bytes differ from the upstream's (the usage chunk is being left out). */
  boolean filtering() {
    return filtering;
  }

  /**
   * Observes one chunk that arrived at {@code nanos}; returns what to forward: {@code data} itself,
   * or (while filtering) the complete events it finished minus the gateway's usage chunk, possibly empty.
   */
  HttpData onData(HttpData data, long nanos) {
    if (!recorded() || headersNanos < 0) {
      return data;
    }
    int n = data.length();
    byte[] b;
    if (data.isPooled() && n <= SCRATCH_MAX) {
      // read a pooled chunk into this event loop's scratch buffer instead of a new array per
      // chunk: every consumer below copies what it keeps
      b = scratch(n);
      ByteBuf buf = data.byteBuf();
      buf.getBytes(buf.readerIndex(), b, 0, n);
    } else {
      b = data.array();
    }
    eventNanos = nanos;
    if (framing == Framing.NDJSON) {
      if (!lines.feed(b, 0, n, lineSink)) {
        observeError = "a line exceeded " + LineSplitter.MAX_LINE_BYTES + " bytes";
      }
      return data;
    }
    if (framing == Framing.EVENT_STREAM) {
      if (!frames.feed(b, 0, n, messageSink) && observeError == null) {
        observeError = frames.error();
      }
      return data;
    }
    if (framing == Framing.NONE) {
      if (!bodyTooLarge) {
        if (body.size() + n > MAX_OBSERVED_BODY) {
          bodyTooLarge = true;
          body = null;
        } else {
          body.write(b, 0, n);
        }
      }
      return data;
    }
    if (!filtering) {
      splitter.feed(b, 0, n, eventSink);
      return data;
    }
    ByteArrayOutputStream kept = new ByteArrayOutputStream(n + 16);
    boolean ok = splitter.feed(b, 0, n, e -> {
      if (!observe(e, nanos)) {
        byte[] raw = NullUsage.strip(e.raw());
        kept.write(raw, 0, raw.length);
      }
    });
    if (!ok) {
      // not SSE as we know it: forward what is held and pass the rest through untouched
      byte[] held = splitter.pending();
      kept.write(held, 0, held.length);
      filtering = false;
      observeError = "an event exceeded " + SseSplitter.MAX_EVENT_BYTES + " bytes";
    }
    return HttpData.wrap(kept.toByteArray());
  }

  private static byte[] scratch(int n) {
    byte[] b = SCRATCH.get();
    if (b.length < n) {
      b = new byte[Math.min(SCRATCH_MAX, Math.max(n, b.length * 2))];
      SCRATCH.set(b);
    }
    return b;
  }

  /** Bytes held back while filtering that no event boundary released (a stream that ended mid-event). */
  HttpData flush() {
    if (filtering && splitter != null) {
      byte[] held = splitter.pending();
      if (held.length > 0) {
        return HttpData.wrap(held);
      }
    }
    return null;
  }

  private void observeLine(byte[] line, long nanos) {
    try {
      tally.onOllamaLine(line, nanos);
    } catch (IOException | RuntimeException ex) {
      malformedEvents++;
    }
  }

  private void observeMessage(EventStreamDecoder.Message m, long nanos) {
    try {
      tally.onBedrockMessage(m, nanos);
    } catch (IOException | RuntimeException ex) {
      malformedEvents++;
    }
  }

  /** The stream ended: a last NDJSON line without its newline is still read (on the recorder's thread). */
  void endOfStream() {
    if (lines != null) {
      byte[] rest = lines.rest();
      if (rest != null) {
        observeLine(rest, endNanos);
      }
    }
    if (frames != null && frames.pending() > 0 && observeError == null) {
      observeError = "the event stream ended inside a message";
    }
  }

  /** True when the event must be left out of what the client gets. */
  private boolean observe(SseSplitter.Event e, long nanos) {
    try {
      return tally.onEvent(e, nanos, usageInjected);
    } catch (IOException | RuntimeException ex) {
      malformedEvents++;
      return false;
    }
  }

}
