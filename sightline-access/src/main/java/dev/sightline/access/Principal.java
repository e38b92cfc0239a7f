package dev.sightline.access;

/**
 * Who a request speaks for: a key of a project, or the admin (who may act on every project).
 *
 * @param kind the key's kind; null for the admin
 * @param keyId the key's id; null for the admin
 * @param target the provider key a virtual key stands for; null otherwise
 */
public record Principal(String project, KeyKind kind, String keyId, boolean admin, VirtualTarget target) {
  /** The admin, logged in with the password; their default project is {@code default}. */
  public static Principal administrator() {
    return new Principal(AccessControl.DEFAULT_PROJECT, null, null, true, null);
  }
}
