package dev.sightline.alerts.notify;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/** Posts messages to their target and retries network errors, 5xx and 429 with back-off, honouring Retry-After. */
final class WebhookSender {

  /** One webhook message: a group of notices for one target. */
  record Message(long id, WebhookChannel channel, List<Notice> notices, boolean test) {
    List<String> alertKeys() {
      return test ? List.of() : notices.stream().map(Notice::alertKey).toList();
    }
  }

  /** What one attempt came to. */
  private record Answer(int status, String error, Duration retryAfter) {
    boolean delivered() {
      return status >= 200 && status < 300;
    }

    boolean retryable() {
      return status == 0 || status == 429 || status >= 500;
    }
  }

  private final HttpClient client;
  private final Notifier.Settings settings;
  private final InstantSource clock;
  private final ScheduledExecutorService timer;
  private final RandomGenerator jitter;
  private final Consumer<Delivery> journal;

  WebhookSender(HttpClient client, Notifier.Settings settings, InstantSource clock, ScheduledExecutorService timer,
                RandomGenerator jitter, Consumer<Delivery> journal) {
    this.client = client;
    this.settings = settings;
    this.clock = clock;
    this.timer = timer;
    this.jitter = jitter;
    this.journal = journal;
  }

  void send(Message m) {
    attempt(m, 1, clock.instant());
  }

  private void attempt(Message m, int attempt, Instant firstAt) {
    HttpRequest request;
    try {
      request = request(m);
    } catch (RuntimeException e) {
      finish(m, attempt, new Answer(0, "cannot build request: " + e.getMessage(), null), true);
      return;
    }
    client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .handle((response, failure) -> answer(response, failure))
        .thenAccept(answer -> afterAttempt(m, attempt, firstAt, answer));
  }

  private void afterAttempt(Message m, int attempt, Instant firstAt, Answer answer) {
    if (answer.delivered() || !answer.retryable() || attempt >= settings.maxAttempts()) {
      finish(m, attempt, answer, true);
      return;
    }
    Duration wait = answer.retryAfter() != null ? answer.retryAfter() : backoff(attempt);
    Instant next = clock.instant().plus(wait);
    if (next.isAfter(firstAt.plus(settings.maxAge()))) {
      finish(m, attempt, answer, true);
      return;
    }
    finish(m, attempt, answer, false);
    try {
      timer.schedule(() -> attempt(m, attempt + 1, firstAt), wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      // The notifier closed between attempts; the last Delivery already says this one failed.
    }
  }

  /** Exponential back-off with "equal jitter": half the step fixed, half random, so retries from many alerts spread out. */
  Duration backoff(int attempt) {
    long base = settings.initialBackoff().toNanos();
    long step = Math.min(settings.maxBackoff().toNanos(), base << Math.min(attempt - 1, 30));
    if (step <= 0) {
      step = settings.maxBackoff().toNanos();
    }
    long half = step / 2;
    return Duration.ofNanos(half + (half > 0 ? jitter.nextLong(half + 1) : 0));
  }

  private void finish(Message m, int attempt, Answer answer, boolean last) {
    journal.accept(new Delivery(m.id(), m.channel().target.name(), m.alertKeys(), attempt, answer.status(),
        answer.delivered() ? null : answer.error(), clock.instant(), answer.delivered(), last, m.test()));
    if (last && !m.test()) {
      m.channel().settled(m.notices(), answer.delivered());
    }
  }

  /** One attempt, waited for; used by the test button. */
  Delivery sendOnce(Message m) {
    Answer answer;
    try {
      HttpResponse<Void> response = client.send(request(m), HttpResponse.BodyHandlers.discarding());
      answer = answer(response, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer = new Answer(0, "interrupted", null);
    } catch (IOException | RuntimeException e) {
      answer = answer(null, e);
    }
    Delivery d = new Delivery(m.id(), m.channel().target.name(), m.alertKeys(), 1, answer.status(),
        answer.delivered() ? null : answer.error(), clock.instant(), answer.delivered(), true, true);
    journal.accept(d);
    return d;
  }

  private HttpRequest request(Message m) {
    WebhookTarget t = m.channel().target;
    HttpRequest.Builder b = HttpRequest.newBuilder(t.url())
        .timeout(settings.requestTimeout())
        .header("Content-Type", "application/json")
        .header("User-Agent", "Sightline-Alerts/1")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Payloads.render(t.format(), m.notices(), m.test(), clock.instant())));
    t.headers().forEach(b::header);
    return b.build();
  }

  private Answer answer(HttpResponse<?> response, Throwable failure) {
    if (failure != null) {
      Throwable cause = failure;
      while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
        cause = cause.getCause();
      }
      String why = cause instanceof HttpTimeoutException
          ? "timed out after " + settings.requestTimeout().toMillis() + " ms"
          : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
      return new Answer(0, why, null);
    }
    int status = response.statusCode();
    Duration retryAfter = response.headers().firstValue("Retry-After").map(this::retryAfter).orElse(null);
    return new Answer(status, "HTTP " + status, retryAfter);
  }

  /** Retry-After is either delay-seconds or an HTTP-date (RFC 9110, section 10.2.3); anything else is ignored. */
  private Duration retryAfter(String value) {
    String v = value.strip();
    try {
      long seconds = Long.parseLong(v);
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException notSeconds) {
      try {
        Duration d = Duration.between(clock.instant(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        return d.isNegative() ? Duration.ZERO : d;
      } catch (RuntimeException notDate) {
        return null;
      }
    }
  }

  void close() {
    client.shutdownNow();
  }
}
