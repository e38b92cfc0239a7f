package dev.sightline.bus;

import dev.sightline.model.TelemetryBatch;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/**
 * Encode and decode time per span and bytes per span on a realistic batch, beside the OTLP request it
 * came from. Not a test (timing is not asserted anywhere): run its main with the test classpath, e.g.
 * {@code java -cp "sightline-bus/target/test-classes:sightline-bus/target/classes:$(cat cp.txt)"
 * dev.sightline.bus.CodecBenchmark [seconds]}.
 */
public final class CodecBenchmark {
  private CodecBenchmark() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
    ExportTraceServiceRequest request = RealisticBatch.request(170);
    TelemetryBatch batch = RealisticBatch.processed(request);
    int spans = batch.spans().size();
    long llm = batch.spans().stream().filter(s -> s.llm() != null).count();
    byte[] encoded = BatchCodec.encode(batch);
    System.out.printf("spans %d (LLM calls %d); OTLP request %d bytes (%.1f a span); bus batch %d bytes (%.1f a span)%n",
        spans, llm, request.getSerializedSize(), request.getSerializedSize() / (double) spans, encoded.length,
        encoded.length / (double) spans);
    long sink = 0;
    // warm-up, then measure each way in rounds of a fixed duration
    for (int round = 0; round < 4; round++) {
      long deadline = System.nanoTime() + (long) (seconds / 4 * 1e9);
      long n = 0;
      long t0 = System.nanoTime();
      while (System.nanoTime() < deadline) {
        sink += BatchCodec.encode(batch).length;
        n++;
      }
      double encodeUs = (System.nanoTime() - t0) / 1e3 / n / spans;
      deadline = System.nanoTime() + (long) (seconds / 4 * 1e9);
      n = 0;
      t0 = System.nanoTime();
      while (System.nanoTime() < deadline) {
        sink += BatchCodec.decode(encoded).spans().size();
        n++;
      }
      double decodeUs = (System.nanoTime() - t0) / 1e3 / n / spans;
      System.out.printf("round %d: encode %.3f µs a span, decode %.3f µs a span%n", round, encodeUs, decodeUs);
    }
    System.out.println(sink == 42 ? "" : "done");
  }
}
