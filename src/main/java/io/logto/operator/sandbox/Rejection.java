package io.logto.operator.sandbox;

/**
 * A document the sandbox did not apply, with the message a user of kubectl would read, e.g.
 * {@code The LogtoM2MApp "wrong-policy" is invalid: spec.deletionPolicy: Unsupported value: ...}.
 *
 * @param file the file it is in
 * @param kind null when the file as a whole was refused (not YAML), or the document has none
 * @param namespace as applied ({@code default} when unset), null with {@code kind}
 * @param name null when unknown
 */
public record Rejection(String file, String kind, String namespace, String name,
    String message) {

  /** A refusal of a whole file, or of a document that names nothing. */
  public static Rejection ofFile(String file, String message) {
    return new Rejection(file, null, null, null, message);
  }

  /** One line for the screen: what was refused, from which file, and why. */
  @Override
  public String toString() {
    if (kind == null && message.startsWith(file + ":")) {
      return "refused " + message; // names the file already, with the line and column
    }
    String what = kind == null ? file
        : kind + " " + namespace + "/" + (name == null ? "" : name) + " (" + fileName() + ")";
    return "refused " + what + ": " + message;
  }

  private String fileName() {
    int slash = file.lastIndexOf('/');
    return slash < 0 ? file : file.substring(slash + 1);
  }
}
