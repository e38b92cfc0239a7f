package dev.sightline.bench;

import dev.sightline.model.TelemetryBatch;
import dev.sightline.pipeline.Ingest;
import dev.sightline.pipeline.IngestCounters;
import dev.sightline.receivers.OtlpReceiver;
import dev.sightline.receivers.ReceiverLimits;
import java.util.Arrays;
import java.util.Locale;

/**
 * OTLP decoding on one warm thread: µs per span for the bench's JSON template and, in the same run,
 * for the same requests in protobuf, from body bytes to canonical records (no server, no store).
 * Usage: {@code JsonDecodeBench [--traces 170] [--rounds 15] [--seconds-per-round 1]}.
 */
public final class JsonDecodeBench {
  private JsonDecodeBench() {}

  public static void main(String[] args) {
    int traces = 170;
    int rounds = 15;
    double secondsPerRound = 1;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--traces" -> traces = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--seconds-per-round" -> secondsPerRound = Double.parseDouble(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Ingest refuseAll = batch -> {
      throw new UnsupportedOperationException("the decode benchmark ingests nothing");
    };
    OtlpReceiver receiver = new OtlpReceiver(refuseAll, new IngestCounters(), ReceiverLimits.defaults());
    SpanFactory factory = new SpanFactory();
    SpanFactory.Template json = factory.new Template(traces, SpanFactory.Encoding.JSON);
    SpanFactory.Template protobuf = factory.new Template(traces, SpanFactory.Encoding.PROTOBUF);
    byte[][] jsonBodies = bodies(json);
    byte[][] protobufBodies = bodies(protobuf);
    check(receiver.decodeTracesJson(jsonBodies[0]), json.spans());
    check(receiver.decodeTraces(protobufBodies[0]), protobuf.spans());
    System.out.printf(Locale.ROOT, "decode, 1 thread: %d spans a request, JSON body %d bytes, protobuf %d bytes%n",
        json.spans(), jsonBodies[0].length, protobufBodies[0].length);

    double[] jsonUs = new double[rounds];
    double[] protobufUs = new double[rounds];
    long nanosPerRound = (long) (secondsPerRound * 1e9);
    for (int r = 0; r < rounds; r++) {
      // alternate, so both see the same machine load
      jsonUs[r] = round(() -> receiver.decodeTracesJson(jsonBodies[next()]), json.spans(), nanosPerRound);
      protobufUs[r] = round(() -> receiver.decodeTraces(protobufBodies[next()]), protobuf.spans(), nanosPerRound);
    }
    // the first third is warm-up
    int skip = rounds / 3;
    double[] j = Arrays.copyOfRange(jsonUs, skip, rounds);
    double[] p = Arrays.copyOfRange(protobufUs, skip, rounds);
    Arrays.sort(j);
    Arrays.sort(p);
    System.out.printf(Locale.ROOT, "JSON     %.3f µs/span (median of %d rounds, min %.3f, max %.3f)%n",
        j[j.length / 2], j.length, j[0], j[j.length - 1]);
    System.out.printf(Locale.ROOT, "protobuf %.3f µs/span (median of %d rounds, min %.3f, max %.3f)%n",
        p[p.length / 2], p.length, p[0], p[p.length - 1]);
    System.out.printf(Locale.ROOT, "JSON / protobuf %.2f%n", j[j.length / 2] / p[p.length / 2]);
  }

  private static int cursor;

  private static int next() {
    cursor = (cursor + 1) & 7;
    return cursor;
  }

  /** Eight distinct requests from the template, so ids differ between calls as they do under load. */
  private static byte[][] bodies(SpanFactory.Template template) {
    byte[][] out = new byte[8][];
    for (int i = 0; i < out.length; i++) {
      out[i] = template.next();
    }
    return out;
  }

  private static void check(TelemetryBatch batch, int spans) {
    if (batch.spans().size() != spans) {
      throw new IllegalStateException("decoded " + batch.spans().size() + " spans, expected " + spans);
    }
  }

  private static volatile Object sink;

  private static double round(java.util.function.Supplier<TelemetryBatch> decode, int spansPerCall, long nanos) {
    long start = System.nanoTime();
    long calls = 0;
    long elapsed;
    do {
      sink = decode.get();
      calls++;
      elapsed = System.nanoTime() - start;
    } while (elapsed < nanos);
    return elapsed / 1e3 / (calls * (double) spansPerCall);
  }
}
