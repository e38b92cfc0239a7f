package dev.sightline.access;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projects, keys and the admin password of one Sightline data directory, kept in its access file,
 * plus the UI's login sessions (in memory). Thread-safe; one per server. The CLI changes the same
 * file while the server runs: lookups notice a changed file (checked at most once a second).
 */
public final class AccessControl {
  public static final String DEFAULT_PROJECT = "default";
  /** The access file's name in the data directory. */
  public static final String FILE_NAME = "access.json";
  public static final Duration SESSION_LIFETIME = Duration.ofHours(12);
  private static final Duration RELOAD_CHECK = Duration.ofSeconds(1);
  private static final String NAME_RULE = "[a-z0-9][a-z0-9_-]{0,63}";
  private static final Logger LOG = LoggerFactory.getLogger(AccessControl.class);
  /** Writers of one file in this JVM take turns here before taking the file lock (which is per process). */
  private static final Map<Path, Object> WRITERS = new ConcurrentHashMap<>();

  private record Session(Principal who, Instant expires) {}

  /** What identifies one version of the file: an atomic replace gives it a new file key (inode) as well. */
  private record Stamp(Object fileKey, long modifiedMillis, long size) {}

  private final Path file;
  private final Clock clock;
  private final Object writer;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private volatile AccessState state;
  private volatile Stamp stamp;
  private volatile Instant nextCheck;

  private AccessControl(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
    this.writer = WRITERS.computeIfAbsent(file, f -> new Object());
  }

  /**
   * Opens the access file, creating it (with the {@code default} project only) when absent.
   *
   * @throws AccessFileException when the file exists but cannot be read or used: never starts open instead
   */
  public static AccessControl open(Path file, Clock clock) {
    Path f = Objects.requireNonNull(file, "file").toAbsolutePath().normalize();
    AccessControl ac = new AccessControl(f, Objects.requireNonNull(clock, "clock"));
    synchronized (ac.writer) {
      AccessFile.createIfAbsent(f, withDefault(new AccessState(List.of(), List.of(), null), clock.instant()));
    }
    ac.state = withDefault(AccessFile.read(f), clock.instant());
    ac.stamp = stampOf(f);
    ac.nextCheck = clock.instant().plus(RELOAD_CHECK);
    return ac;
  }

  public Path file() {
    return file;
  }

  public List<Project> projects() {
    return current().projects();
  }

  public Optional<Project> project(String name) {
    return Optional.ofNullable(current().project(name));
  }

  /** @throws IllegalArgumentException for a bad or taken name */
  public Project createProject(String name, Retention retention) {
    String n = checkName(name);
    Project created = new Project(n, clock.instant().truncatedTo(ChronoUnit.SECONDS), retention);
    change(s -> {
      if (s.project(n) != null) {
        throw new IllegalArgumentException("project '" + n + "' already exists");
      }
      List<Project> ps = new ArrayList<>(s.projects());
      ps.add(created);
      return s.withProjects(ps);
    });
    return created;
  }

  /** @throws IllegalArgumentException for an unknown project */
  public Project setRetention(String project, Retention retention) {
    Project[] result = new Project[1];
    change(s -> {
      Project p = known(s, project);
      result[0] = new Project(p.name(), p.created(), retention);
      List<Project> ps = new ArrayList<>(s.projects());
      ps.set(ps.indexOf(p), result[0]);
      return s.withProjects(ps);
    });
    return result[0];
  }

  /**
   * Creates a key; its secret is in the result only, the file keeps its SHA-256.
   *
   * @param label free text to recognise the key by (may be null)
   * @param target required for {@link KeyKind#VIRTUAL}, refused for the other kinds
   * @throws IllegalArgumentException saying what is wrong
   */
  public CreatedKey createKey(String project, KeyKind kind, String label, VirtualTarget target) {
    if (kind == null) {
      throw new IllegalArgumentException("a key needs its kind: ingest, read or virtual");
    }
    if (kind == KeyKind.VIRTUAL && target == null) {
      throw new IllegalArgumentException("a virtual key needs its provider and the environment variable holding the"
          + " provider key, e.g. --provider openai --provider-key-env OPENAI_API_KEY");
    }
    if (kind != KeyKind.VIRTUAL && target != null) {
      throw new IllegalArgumentException("only virtual keys have a provider; an " + kind.wireName()
          + " key does not take one");
    }
    String l = label == null || label.isBlank() ? null : label.strip();
    if (l != null && (l.length() > 200 || l.chars().anyMatch(Character::isISOControl))) {
      throw new IllegalArgumentException("the label must be at most 200 characters on one line");
    }
    String secret = Secrets.keyText(kind);
    String hash = Secrets.sha256Hex(secret);
    KeyInfo[] info = new KeyInfo[1];
    change(s -> {
      Project p = known(s, project);
      info[0] = new KeyInfo(Secrets.keyId(), p.name(), kind, l, secret.substring(0, 12),
          clock.instant().truncatedTo(ChronoUnit.SECONDS), target);
      List<AccessState.StoredKey> ks = new ArrayList<>(s.keys());
      ks.add(new AccessState.StoredKey(info[0], hash));
      return s.withKeys(ks);
    });
    return new CreatedKey(info[0], secret);
  }

  /** Revokes a key at once (its sessions end too); false when no key has this id. */
  public boolean revokeKey(String keyId) {
    boolean[] found = new boolean[1];
    change(s -> {
      List<AccessState.StoredKey> ks = new ArrayList<>(s.keys());
      found[0] = ks.removeIf(k -> k.info().id().equals(keyId));
      return found[0] ? s.withKeys(ks) : s;
    });
    if (found[0]) {
      sessions.values().removeIf(x -> keyId.equals(x.who().keyId()));
    }
    return found[0];
  }

  /**
   * The keys of a project, oldest first; null: of every project.
   *
   * @throws IllegalArgumentException for an unknown project
   */
  public List<KeyInfo> keys(String project) {
    AccessState s = current();
    if (project != null) {
      known(s, project);
    }
    List<KeyInfo> out = new ArrayList<>();
    for (AccessState.StoredKey k : s.keys()) {
      if (project == null || k.info().project().equals(project)) {
        out.add(k.info());
      }
    }
    return out;
  }

  /** The key's principal when {@code presentedKey} is a live key; empty for null, unknown or revoked keys. */
  public Optional<Principal> authenticate(String presentedKey) {
    if (presentedKey == null || presentedKey.isBlank() || presentedKey.length() > 256) {
      return Optional.empty();
    }
    byte[] presented = Secrets.sha256Hex(presentedKey.strip()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    AccessState.StoredKey match = null;
    // every stored hash is compared, in constant time, so the answer's timing says nothing about the keys
    for (AccessState.StoredKey k : current().keys()) {
      if (Secrets.sameBytes(presented, k.sha256().getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
        match = k;
      }
    }
    if (match == null) {
      return Optional.empty();
    }
    KeyInfo i = match.info();
    return Optional.of(new Principal(i.project(), i.kind(), i.id(), false, i.target()));
  }

  /**
   * The key a request presents: {@code x-sightline-key: K}, else {@code authorization: Bearer K};
   * null when neither is there.
   *
   * @param header a request header by lower-case name (null when absent)
   */
  public static String presentedKey(Function<String, String> header) {
    String k = header.apply("x-sightline-key");
    if (k != null && !k.isBlank()) {
      return k.strip();
    }
    String auth = header.apply("authorization");
    if (auth != null) {
      String a = auth.strip();
      if (a.length() > 7 && a.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
        String token = a.substring(7).strip();
        return token.isEmpty() ? null : token;
      }
    }
    return null;
  }

  /**
   * Sets up the admin login. A configured password replaces the stored hash (returns null). Without
   * one, when none is stored yet, a random token is made, its hash stored, and the token returned
   * for the server to print once; otherwise null.
   */
  public String ensureAdmin(String configuredPassword) {
    if (configuredPassword != null && !configuredPassword.isEmpty()) {
      if (!checkAdmin(configuredPassword)) {
        byte[] salt = Secrets.salt();
        AccessState.AdminHash h = new AccessState.AdminHash(salt, Secrets.PBKDF2_ITERATIONS,
            Secrets.pbkdf2(configuredPassword, salt, Secrets.PBKDF2_ITERATIONS));
        change(s -> s.withAdmin(h));
      }
      return null;
    }
    String[] token = new String[1];
    change(s -> {
      if (s.admin() != null) {
        return s;
      }
      token[0] = Secrets.adminToken();
      byte[] salt = Secrets.salt();
      return s.withAdmin(new AccessState.AdminHash(salt, Secrets.PBKDF2_ITERATIONS,
          Secrets.pbkdf2(token[0], salt, Secrets.PBKDF2_ITERATIONS)));
    });
    return token[0];
  }

  /** Whether {@code password} is the admin password (or first-start token). */
  public boolean checkAdmin(String password) {
    AccessState.AdminHash h = current().admin();
    if (h == null || password == null || password.isEmpty() || password.length() > 1024) {
      return false;
    }
    return Secrets.sameBytes(h.hash(), Secrets.pbkdf2(password, h.salt(), h.iterations()));
  }

  /** A new login session for {@code who}, valid for {@link #SESSION_LIFETIME}; the token goes in a cookie. */
  public String startSession(Principal who) {
    Objects.requireNonNull(who, "who");
    Instant now = clock.instant();
    sessions.values().removeIf(s -> !now.isBefore(s.expires()));
    String token = Secrets.sessionToken();
    sessions.put(token, new Session(who, now.plus(SESSION_LIFETIME)));
    return token;
  }

  /** The session's principal; empty when unknown, expired, or its key was revoked since. */
  public Optional<Principal> session(String token) {
    if (token == null) {
      return Optional.empty();
    }
    Session s = sessions.get(token);
    if (s == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(s.expires())) {
      sessions.remove(token);
      return Optional.empty();
    }
    String keyId = s.who().keyId();
    if (keyId != null && current().keys().stream().noneMatch(k -> k.info().id().equals(keyId))) {
      sessions.remove(token);
      return Optional.empty();
    }
    return Optional.of(s.who());
  }

  public void endSession(String token) {
    if (token != null) {
      sessions.remove(token);
    }
  }

  /** The state, re-read first when the file changed (looked at no more than once a second). */
  private AccessState current() {
    Instant now = clock.instant();
    if (now.isBefore(nextCheck)) {
      return state;
    }
    synchronized (this) {
      if (now.isBefore(nextCheck)) {
        return state;
      }
      nextCheck = now.plus(RELOAD_CHECK);
      Stamp seen = stampOf(file);
      if (seen != null && !seen.equals(stamp)) {
        try {
          state = withDefault(AccessFile.read(file), now);
          stamp = seen;
          LOG.info("re-read the access file {}: {} projects, {} keys", file, state.projects().size(), state.keys().size());
        } catch (AccessFileException e) {
          // keep the last good state (never fall open); say so once per version of the file
          stamp = seen;
          LOG.error("{}; still using the projects and keys read before", e.getMessage());
        }
      }
      return state;
    }
  }

  /** Applies a change to the file's latest content under the file lock, and writes it. */
  private void change(UnaryOperator<AccessState> edit) {
    synchronized (writer) {
      Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
      try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = ch.lock()) {
        AccessState latest = Files.exists(file) ? withDefault(AccessFile.read(file), clock.instant()) : state;
        AccessState next = edit.apply(latest);
        if (next != latest) {
          AccessFile.write(file, next);
        }
        synchronized (this) {
          state = next;
          stamp = stampOf(file);
        }
      } catch (IOException e) {
        throw new AccessFileException("cannot lock " + lockFile + " to change the access file (" + e
            + "): check that the data directory is writable", e);
      }
    }
  }

  private static AccessState withDefault(AccessState s, Instant now) {
    if (s.project(DEFAULT_PROJECT) != null) {
      return s;
    }
    List<Project> ps = new ArrayList<>();
    ps.add(new Project(DEFAULT_PROJECT, now.truncatedTo(ChronoUnit.SECONDS), Retention.FOREVER));
    ps.addAll(s.projects());
    return s.withProjects(ps);
  }

  private static Project known(AccessState s, String name) {
    Project p = name == null ? null : s.project(name);
    if (p == null) {
      List<String> names = s.projects().stream().map(Project::name).toList();
      throw new IllegalArgumentException("there is no project '" + name + "' (projects: " + String.join(", ", names)
          + "); create it first with: sightline projects create " + (name == null ? "NAME" : name));
    }
    return p;
  }

  /** Checks a project name: 1 to 64 of a-z, 0-9, '-', '_', starting with a letter or digit. */
  public static String checkName(String name) {
    if (name == null || !name.matches(NAME_RULE)) {
      throw new IllegalArgumentException("project name '" + name + "' must be 1 to 64 characters of a-z, 0-9, '-'"
          + " and '_', starting with a letter or digit (e.g. checkout-prod)");
    }
    return name;
  }

  private static Stamp stampOf(Path f) {
    try {
      BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
      return new Stamp(a.fileKey(), a.lastModifiedTime().toMillis(), a.size());
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      LOG.warn("cannot look at the access file {}: {}", f, e.toString());
      return null;
    }
  }
}
