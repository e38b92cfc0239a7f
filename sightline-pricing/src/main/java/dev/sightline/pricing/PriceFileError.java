package dev.sightline.pricing;

/**
 * One thing wrong with a user price file, located so that the user can go straight to it.
 *
 * @param file the file as it was named
 * @param line 1-based line; 0 when the error is about the whole file (it cannot be read…)
 * @param column 1-based column; 0 when unknown
 * @param path where in the document, e.g. {@code models[2].prices[0].input}; empty for the root
 * @param message what is wrong and what to change
 */
public record PriceFileError(String file, int line, int column, String path, String message) {

  static PriceFileError ofFile(String file, String message) {
    return new PriceFileError(file, 0, 0, "", message);
  }

  /** {@code file:line:column: path: message}, the form editors and terminals link to. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(file);
    if (line > 0) {
      s.append(':').append(line);
      if (column > 0) {
        s.append(':').append(column);
      }
    }
    s.append(": ");
    if (path != null && !path.isEmpty()) {
      s.append(path).append(": ");
    }
    return s.append(message).toString();
  }
}
