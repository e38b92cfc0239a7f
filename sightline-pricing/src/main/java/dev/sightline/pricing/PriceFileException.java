package dev.sightline.pricing;

import java.util.List;

/**
 * A user price file that cannot be used, with every error found in it. It carries no stack trace:
 * the message is the whole story (one located error per line), so log the message, not the trace.
 */
public final class PriceFileException extends RuntimeException {

  private final transient List<PriceFileError> errors;

  public PriceFileException(List<PriceFileError> errors) {
    super(message(errors), null, false, false);
    this.errors = List.copyOf(errors);
  }

  /** The errors, in the order they occur in the file. */
  public List<PriceFileError> errors() {
    return errors;
  }

  private static String message(List<PriceFileError> errors) {
    if (errors.isEmpty()) {
      return "invalid price file";
    }
    StringBuilder s = new StringBuilder("invalid price file ").append(errors.get(0).file()).append(" (")
        .append(errors.size()).append(errors.size() == 1 ? " error" : " errors").append("):");
    for (PriceFileError e : errors) {
      s.append("\n  ").append(e);
    }
    return s.toString();
  }
}
