package dev.sightline.store;

import java.nio.file.Path;

/** Holds a store open in a separate process until its stdin closes (for the lock test). */
public final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws Exception {
    try (DuckDbStore store = DuckDbStore.open(Path.of(args[0]))) {
      System.out.println("ready");
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent to close our stdin
      }
    }
  }
}
