package dev.sightline.pricing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps a catalog in step with the user's price file: checks the file every interval and, when its
 * content has changed, swaps in the catalog built from it in one step. A new file that is not valid
 * changes nothing: the prices in force stay and the listener hears the errors.
 *
 * <p>It compares the file's content, not its modification time, so it also sees edits within the
 * same second and files replaced through a symbolic link (Kubernetes ConfigMaps). Pass it to
 * {@link CostCalculator#CostCalculator(Supplier)} so pricing follows the swaps.
 */
public final class PriceFileWatcher implements Supplier<PriceCatalog>, AutoCloseable {

  /** Hears what happens to the price file; called on the watcher's thread. */
  public interface Listener {
    /** A changed file was valid and its prices are now in force. */
    default void reloaded(Path file, PriceCatalog catalog) {}

    /** A changed file could not be used; the prices in force stay as they were. */
    void rejected(Path file, List<PriceFileError> errors);
  }

  private final PriceCatalog base;
  private final Path file;
  private final Listener listener;
  private final ScheduledExecutorService timer;
  private volatile PriceCatalog current;
  /** The content last looked at, valid or not, so that a bad file is reported once. */
  private byte[] lastSeen;
  private String lastReadError;

  private PriceFileWatcher(PriceCatalog base, Path file, Listener listener, byte[] content, PriceCatalog first) {
    this.base = base;
    this.file = file;
    this.listener = listener;
    this.lastSeen = content;
    this.current = first;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sightline-price-file-watcher");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Loads the price file over {@code base} and starts checking it every {@code interval}.
   *
   * @throws PriceFileException when the file cannot be read or is not valid now: a server should
   *     not start with prices other than the ones it was told to use
   */
  public static PriceFileWatcher start(PriceCatalog base, Path file, Duration interval, Listener listener) {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(listener, "listener");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the interval must be positive, got " + interval);
    }
    byte[] content = PriceFile.readBytes(file);
    PriceFileWatcher watcher = new PriceFileWatcher(base, file, listener, content,
        base.withUserFile(file.toString(), content));
    long millis = Math.max(1, interval.toMillis());
    watcher.timer.scheduleWithFixedDelay(watcher::poll, millis, millis, TimeUnit.MILLISECONDS);
    return watcher;
  }

  /** The catalog in force: the bundled one with the last valid price file over it. */
  @Override
  public PriceCatalog get() {
    return current;
  }

  /**
   * Checks the file now, as the timer does (an admin command or a test may call it too).
   *
   * @return whether a new catalog was swapped in
   */
  public synchronized boolean checkNow() {
    byte[] content;
    try {
      content = PriceFile.readBytes(file);
    } catch (PriceFileException e) {
      // a file being replaced can be missing for a moment: report a read error once, not every check
      String why = e.getMessage();
      if (!why.equals(lastReadError)) {
        lastReadError = why;
        listener.rejected(file, e.errors());
      }
      return false;
    }
    lastReadError = null;
    if (Arrays.equals(content, lastSeen)) {
      return false;
    }
    lastSeen = content;
    PriceCatalog next;
    try {
      next = base.withUserFile(file.toString(), content);
    } catch (PriceFileException e) {
      listener.rejected(file, e.errors());
      return false;
    }
    current = next;
    listener.reloaded(file, next);
    return true;
  }

  /** Stops checking the file; the catalog in force stays available. */
  @Override
  public void close() {
    timer.shutdownNow();
  }

  private void poll() {
    try {
      checkNow();
    } catch (RuntimeException e) {
      // a failing listener must not stop the checks (the executor would cancel them for good)
    }
  }
}
