package dev.sightline.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads and writes the access file ({@code data-dir/access.json}). Writes go to a temporary file
 * beside it that is then moved over it, so a reader (another process, the server) never sees half
 * a file. The file holds hashes only, never a key or password.
 */
final class AccessFile {
  static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private AccessFile() {}

  static AccessState read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      throw corrupt(file, "it is not valid JSON (" + e.getOriginalMessage() + ")", e);
    } catch (IOException e) {
      throw new AccessFileException("cannot read the access file " + file.toAbsolutePath() + " (" + e
          + "): check its permissions", e);
    }
    try {
      if (root == null || !root.isObject()) {
        throw new IllegalArgumentException("it is not a JSON object");
      }
      int version = root.path("version").asInt(-1);
      if (version != VERSION) {
        throw new IllegalArgumentException("its version is " + root.path("version") + ", this Sightline reads version "
            + VERSION);
      }
      List<Project> projects = new ArrayList<>();
      for (JsonNode p : array(root, "projects")) {
        JsonNode r = p.path("retention");
        projects.add(new Project(text(p, "name"), instant(p, "created"),
            new Retention(days(r, "dataDays"), days(r, "contentDays"))));
      }
      List<AccessState.StoredKey> keys = new ArrayList<>();
      for (JsonNode k : array(root, "keys")) {
        KeyKind kind = KeyKind.parse(text(k, "kind"));
        VirtualTarget target = kind == KeyKind.VIRTUAL
            ? new VirtualTarget(text(k, "provider"), text(k, "providerKeyEnv")) : null;
        String hash = text(k, "sha256");
        if (!hash.matches("[0-9a-f]{64}")) {
          throw new IllegalArgumentException("key " + text(k, "id") + " has no valid sha256");
        }
        keys.add(new AccessState.StoredKey(new KeyInfo(text(k, "id"), text(k, "project"), kind,
            k.path("label").isTextual() ? k.get("label").asText() : null, text(k, "prefix"), instant(k, "created"),
            target), hash));
      }
      AccessState.AdminHash admin = null;
      JsonNode a = root.path("admin");
      if (a.isObject()) {
        Base64.Decoder b64 = Base64.getDecoder();
        admin = new AccessState.AdminHash(b64.decode(text(a, "salt")), a.path("iterations").asInt(0),
            b64.decode(text(a, "hash")));
        if (admin.iterations() < 1) {
          throw new IllegalArgumentException("admin.iterations must be positive");
        }
      }
      return new AccessState(projects, keys, admin);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw corrupt(file, e.getMessage(), e);
    }
  }

  static void write(Path file, AccessState state) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", VERSION);
    root.put("note", "Written by Sightline (docs/access.md). Holds hashes only: keys and passwords are never stored.");
    ArrayNode projects = root.putArray("projects");
    for (Project p : state.projects()) {
      ObjectNode o = projects.addObject().put("name", p.name()).put("created", p.created().toString());
      ObjectNode r = o.putObject("retention");
      r.put("dataDays", p.retention().dataDays());
      r.put("contentDays", p.retention().contentDays());
    }
    ArrayNode keys = root.putArray("keys");
    for (AccessState.StoredKey k : state.keys()) {
      KeyInfo i = k.info();
      ObjectNode o = keys.addObject().put("id", i.id()).put("project", i.project()).put("kind", i.kind().wireName());
      if (i.label() != null) {
        o.put("label", i.label());
      }
      o.put("prefix", i.prefix()).put("created", i.created().toString()).put("sha256", k.sha256());
      if (i.target() != null) {
        o.put("provider", i.target().provider()).put("providerKeyEnv", i.target().keyEnv());
      }
    }
    if (state.admin() != null) {
      Base64.Encoder b64 = Base64.getEncoder();
      root.putObject("admin").put("algorithm", "PBKDF2WithHmacSHA256")
          .put("salt", b64.encodeToString(state.admin().salt()))
          .put("iterations", state.admin().iterations())
          .put("hash", b64.encodeToString(state.admin().hash()));
    }
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, ".access-", ".tmp");
      ownerOnly(tmp);
      Files.write(tmp, JSON.writeValueAsBytes(root));
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      throw new AccessFileException("cannot write the access file " + file.toAbsolutePath() + " (" + e
          + "): check that its folder is writable and the disk is not full", e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // a leftover temporary file is harmless: it is never read
        }
      }
    }
  }

  /** Only the owner may read the file: its hashes are not secrets, but there is no reason to share them. */
  private static void ownerOnly(Path p) {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system: its default permissions apply
    }
  }

  private static AccessFileException corrupt(Path file, String why, Exception cause) {
    return new AccessFileException("the access file " + file.toAbsolutePath() + " cannot be used: " + why
        + ". Sightline will not start open with it; fix the file (or restore it from a backup), or move it away to"
        + " start with only the default project and no keys", cause);
  }

  private static Iterable<JsonNode> array(JsonNode root, String field) {
    JsonNode a = root.path(field);
    if (a.isMissingNode() || a.isNull()) {
      return List.of();
    }
    if (!a.isArray()) {
      throw new IllegalArgumentException("'" + field + "' must be a list");
    }
    return a;
  }

  private static String text(JsonNode o, String field) {
    JsonNode v = o.path(field);
    if (!v.isTextual() || v.asText().isEmpty()) {
      throw new IllegalArgumentException("'" + field + "' is missing in " + cut(o.toString()));
    }
    return v.asText();
  }

  private static Instant instant(JsonNode o, String field) {
    return Instant.parse(text(o, field));
  }

  private static Integer days(JsonNode o, String field) {
    JsonNode v = o.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException("retention." + field + " must be a whole number of days or null");
    }
    return v.intValue();
  }

  private static String cut(String s) {
    return s.length() <= 120 ? s : s.substring(0, 120) + "…";
  }

  /** Creates the file only when absent, for a fresh data directory. */
  static boolean createIfAbsent(Path file, AccessState initial) {
    if (Files.exists(file)) {
      return false;
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (FileAlreadyExistsException e) {
      throw new AccessFileException("cannot create the access file " + file.toAbsolutePath() + ": "
          + e.getFile() + " is not a folder", e);
    } catch (IOException e) {
      throw new AccessFileException("cannot create the folder of the access file " + file.toAbsolutePath()
          + " (" + e + ")", e);
    }
    write(file, initial);
    return true;
  }
}
