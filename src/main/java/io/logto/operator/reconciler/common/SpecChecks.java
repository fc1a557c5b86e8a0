package io.logto.operator.reconciler.common;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The same rules as the CRD schemas, checked again by the operator: the API server may not enforce
 * them (an old CRD, or a test API server), and a bad spec must end in InvalidSpec, not a loop.
 */
public final class SpecChecks {

  private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
  private static final Pattern NO_WHITESPACE = Pattern.compile("\\S+");
  private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
  /** The name part of a label or annotation key, and a non-empty label value. */
  private static final Pattern QUALIFIED_NAME =
      Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");

  private final List<String> problems = new ArrayList<>();

  public List<String> problems() {
    return problems;
  }

  /** Throws InvalidSpec naming every problem found. */
  public void throwIfAny() {
    if (!problems.isEmpty()) {
      throw SyncFailure.invalidSpec(String.join("; ", problems));
    }
  }

  public void add(String field, String problem) {
    problems.add(field + ": " + problem);
  }

  /** Optional text: when set, 1..max characters and not blank. */
  public void optionalText(String field, String value, int max) {
    if (value == null) {
      return;
    }
    if (value.isBlank()) {
      add(field, "must not be empty or blank");
    } else if (value.length() > max) {
      add(field, "must be at most " + max + " characters, got " + value.length());
    }
  }

  public void requiredText(String field, String value, int max) {
    if (value == null) {
      add(field, "is required");
    } else {
      optionalText(field, value, max);
    }
  }

  /** An absolute http(s) URI with a host, as Logto indicators should be (Logto does not check). */
  public void indicator(String field, String value) {
    if (value == null || value.isBlank()) {
      add(field, "is required");
      return;
    }
    if (value.length() > 256) {
      add(field, "must be at most 256 characters");
      return;
    }
    try {
      URI uri = new URI(value);
      if (!uri.isAbsolute()
          || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          || uri.getHost() == null
          || !NO_WHITESPACE.matcher(value).matches()) {
        add(field, "must be an absolute http(s) URI such as https://shopping.api, got '" + value
            + "'");
      }
    } catch (URISyntaxException e) {
      add(field, "is not a URI: '" + value + "'");
    }
  }

  public void scopeName(String field, String value) {
    if (value == null || value.isEmpty()) {
      add(field, "is required");
    } else if (!NO_WHITESPACE.matcher(value).matches()) {
      add(field, "must not contain whitespace, got '" + value + "'");
    } else if (value.length() > 256) {
      add(field, "must be at most 256 characters");
    }
  }

  public void objectName(String field, String value) {
    if (value == null || value.isEmpty()) {
      add(field, "is required");
    } else if (value.length() > 253 || !DNS_SUBDOMAIN.matcher(value).matches()) {
      add(field, "must be a Kubernetes object name (lowercase letters, digits, '-', '.'), got '"
          + value + "'");
    }
  }

  public void secretKey(String field, String value) {
    if (value == null || value.isEmpty() || value.length() > 253
        || !SECRET_KEY.matcher(value).matches()) {
      add(field, "must be a valid Secret key (letters, digits, '-', '_', '.'), got '" + value
          + "'");
    }
  }

  /** At most {@code max} entries, as the schema's maxItems says. */
  public void maxItems(String field, List<?> values, int max) {
    if (values != null && values.size() > max) {
      add(field, "must have at most " + max + " entries, got " + values.size());
    }
  }

  /**
   * A label or annotation key: an optional DNS subdomain prefix and '/', then a name of at most 63
   * characters. The API server refuses a Secret with a bad key after the app exists in Logto.
   */
  public void labelKey(String field, String key) {
    String name = key;
    int slash = key == null ? -1 : key.lastIndexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
        add(field, "the key's prefix must be a DNS subdomain such as example.com");
        return;
      }
    }
    if (name == null || name.isEmpty() || name.length() > 63
        || !QUALIFIED_NAME.matcher(name).matches()) {
      add(field, "must be a valid label or annotation key (at most 63 letters, digits, '-', '_',"
          + " '.', optionally after a DNS prefix and '/')");
    }
  }

  /** A label value: empty, or at most 63 letters, digits, '-', '_', '.' between alphanumerics. */
  public void labelValue(String field, String value) {
    if (value == null) {
      add(field, "must not be null");
    } else if (!value.isEmpty()
        && (value.length() > 63 || !QUALIFIED_NAME.matcher(value).matches())) {
      add(field, "must be a valid label value (at most 63 letters, digits, '-', '_', '.',"
          + " beginning and ending with a letter or digit), got '" + value + "'");
    }
  }

  /** Exactly one of two alternatives must be set. */
  public void exactlyOne(String field, Object first, String firstName, Object second,
      String secondName) {
    if ((first == null) == (second == null)) {
      add(field, "set exactly one of " + firstName + " or " + secondName);
    }
  }
}
