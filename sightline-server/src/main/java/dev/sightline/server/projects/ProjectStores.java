package dev.sightline.server.projects;

import dev.sightline.model.TelemetryBatch;
import dev.sightline.store.BusPosition;
import dev.sightline.store.BusRead;
import dev.sightline.store.BusTarget;
import dev.sightline.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One store per project, so that no query can see another project's rows: the default project keeps
 * the data directory itself (as before projects existed), project {@code P} lives in
 * {@code data-dir/projects/P/}. Stores open on first use and stay open until close.
 */
public final class ProjectStores implements BusTarget, AutoCloseable {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  private final Path dataDir;
  private final Opener opener;
  private final Predicate<String> exists;
  private final Map<String, Store> open = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param opener opens (creating if needed) the store of one directory
   * @param exists whether a project of this name exists (the default one always does)
   */
  public ProjectStores(Path dataDir, Function<Path, Store> opener, Predicate<String> exists) {
    this(dataDir, (project, dir) -> opener.apply(dir), exists);
  }

  /**
   * @param opener opens (creating if needed) the store of one project, given its directory (an engine
   *     that is not file-based, such as PostgreSQL, keeps each project apart its own way)
   * @param exists whether a project of this name exists (the default one always does)
   */
  public ProjectStores(Path dataDir, Opener opener, Predicate<String> exists) {
    this.dataDir = dataDir;
    this.opener = opener;
    this.exists = exists;
    open.put(TelemetryBatch.DEFAULT_PROJECT, opener.open(TelemetryBatch.DEFAULT_PROJECT, dataDir));
  }

  /** Opens one project's store. */
  @FunctionalInterface
  public interface Opener {
    Store open(String project, Path directory);
  }

  /** Where a project's store lives. */
  public Path directory(String project) {
    return project.equals(TelemetryBatch.DEFAULT_PROJECT) ? dataDir : dataDir.resolve("projects").resolve(project);
  }

  /** The default project's store: the server's own data (scrapes, alerts, budgets) lives there. */
  public Store defaultStore() {
    return open.get(TelemetryBatch.DEFAULT_PROJECT);
  }

  /**
   * The store of {@code project}, opened on first use; an unknown project is an
   * {@link UnknownProjectException} (never a new directory made from a caller's text).
   */
  public Store store(String project) {
    Store s = open.get(project);
    if (s != null) {
      return s;
    }
    if (project == null || !NAME.matcher(project).matches() || !exists.test(project)) {
      throw new UnknownProjectException(project);
    }
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the project stores are closed");
      }
      return open.computeIfAbsent(project, p -> opener.open(p, directory(p)));
    }
  }

  /** The projects whose stores are open now, the default first. */
  public List<String> openProjects() {
    List<String> out = new ArrayList<>();
    out.add(TelemetryBatch.DEFAULT_PROJECT);
    open.keySet().stream().filter(p -> !p.equals(TelemetryBatch.DEFAULT_PROJECT)).sorted().forEach(out::add);
    return out;
  }

  /**
   * Writes each batch to its project's store, one commit per project, in the order the projects
   * first appear. When one project's commit fails the exception goes up (so none of these batches is
   * acknowledged), after the projects before it were committed: a sender that retries may store
   * those twice, never lose them.
   */
  public void write(List<TelemetryBatch> batches) {
    Map<String, List<TelemetryBatch>> byProject = new LinkedHashMap<>();
    for (TelemetryBatch b : batches) {
      byProject.computeIfAbsent(b.project(), k -> new ArrayList<>()).add(b);
    }
    for (Map.Entry<String, List<TelemetryBatch>> e : byProject.entrySet()) {
      store(e.getKey()).write(e.getValue());
    }
  }

  /**
   * Writes what a bus writer read: each other project's batches into its store with the read's
   * positions, then the default project's store, always, even with no batch of its own. Its positions
   * are where the writer resumes ({@link #busPositions}), and they are written last, so they never pass
   * what every store holds; a project store that got ahead skips the replay by its own positions, and
   * one with older positions holds nothing between them and the resume point.
   */
  @Override
  public void write(List<TelemetryBatch> batches, BusRead read) {
    if (read.origins().size() != batches.size()) {
      throw new IllegalArgumentException("a bus read needs one origin per batch: " + read.origins().size()
          + " origins for " + batches.size() + " batches");
    }
    Map<String, List<TelemetryBatch>> byProject = new LinkedHashMap<>();
    Map<String, List<BusPosition>> origins = new LinkedHashMap<>();
    for (int i = 0; i < batches.size(); i++) {
      TelemetryBatch b = batches.get(i);
      byProject.computeIfAbsent(b.project(), k -> new ArrayList<>()).add(b);
      origins.computeIfAbsent(b.project(), k -> new ArrayList<>()).add(read.origins().get(i));
    }
    for (Map.Entry<String, List<TelemetryBatch>> e : byProject.entrySet()) {
      if (!e.getKey().equals(TelemetryBatch.DEFAULT_PROJECT)) {
        store(e.getKey()).write(e.getValue(), new BusRead(read.group(), origins.get(e.getKey()), read.next()));
      }
    }
    defaultStore().write(byProject.getOrDefault(TelemetryBatch.DEFAULT_PROJECT, List.of()), new BusRead(read.group(),
        origins.getOrDefault(TelemetryBatch.DEFAULT_PROJECT, List.of()), read.next()));
  }

  /** The default project's store's positions: where a bus writer resumes (see {@link #write(List, BusRead)}). */
  @Override
  public List<BusPosition> busPositions(String group) {
    return defaultStore().busPositions(group);
  }

  /** Every open store's upkeep (rollups, checkpoints), after the commits' acknowledgements. */
  public void maintain() {
    for (Store s : open.values()) {
      if (!closed) {
        s.maintain();
      }
    }
  }

  /** The store's head start for {@link #write}, on the caller's thread. */
  public void prepare(TelemetryBatch batch) {
    store(batch.project()).prepare(batch);
  }

  @Override
  public synchronized void close() {
    closed = true;
    RuntimeException first = null;
    for (Store s : open.values()) {
      try {
        s.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    open.clear();
    if (first != null) {
      throw first;
    }
  }

  /** A project that does not exist (or a name no project could have). */
  public static final class UnknownProjectException extends IllegalArgumentException {
    public UnknownProjectException(String project) {
      super("unknown project '" + project + "'");
    }
  }
}
