package dev.sightline.store;

/**
 * A store operation failed: the database could not be opened (locked, unwritable, too new a
 * schema) or a write was rolled back. The message says what to change where the user can fix it.
 */
public class StoreException extends RuntimeException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
