package dev.sightline.access;

import java.util.List;

/**
 * One consistent reading of the access file: projects, keys (with their hashes) and the admin
 * password's hash. Immutable; a change makes a new one.
 */
record AccessState(List<Project> projects, List<StoredKey> keys, AdminHash admin) {
  AccessState {
    projects = List.copyOf(projects);
    keys = List.copyOf(keys);
  }

  /** A key as stored: its description and the SHA-256 (hex) of its text. */
  record StoredKey(KeyInfo info, String sha256) {}

  /** The admin password (or first-start token) as stored: PBKDF2-HMAC-SHA256. */
  record AdminHash(byte[] salt, int iterations, byte[] hash) {}

  Project project(String name) {
    for (Project p : projects) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    return null;
  }

  AccessState withProjects(List<Project> newProjects) {
    return new AccessState(newProjects, keys, admin);
  }

  AccessState withKeys(List<StoredKey> newKeys) {
    return new AccessState(projects, newKeys, admin);
  }

  AccessState withAdmin(AdminHash newAdmin) {
    return new AccessState(projects, keys, newAdmin);
  }
}
