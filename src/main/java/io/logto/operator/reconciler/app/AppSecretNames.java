package io.logto.operator.reconciler.app;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;

/**
 * Names of an application's secrets in Logto. The operator names its own {@code logto-operator-*}
 * (the time of creation), which is how it tells them from Logto's {@code Default secret} and
 * secrets made in the Console, which it leaves alone unless told otherwise.
 */
final class AppSecretNames {

  static final String DEFAULT_SECRET = "Default secret";
  /** The one name earlier versions of the operator used. */
  static final String LEGACY_OPERATOR_SECRET = "logto-operator";
  private static final String PREFIX = LEGACY_OPERATOR_SECRET + "-";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd't'HHmmss'z'").withZone(ZoneOffset.UTC);

  private AppSecretNames() {}

  static boolean isOperatorMade(String name) {
    return name != null && (name.equals(LEGACY_OPERATOR_SECRET) || name.startsWith(PREFIX));
  }

  /**
   * A new operator name for a secret created at {@code now}, not among {@code taken}; a random
   * tail keeps it from repeating the name of one deleted in the same second.
   */
  static String next(Instant now, Collection<String> taken) {
    String base = PREFIX + STAMP.format(now) + "-"
        + Integer.toString(java.util.concurrent.ThreadLocalRandom.current().nextInt(36 * 36 * 36,
            36 * 36 * 36 * 36), 36);
    String name = base;
    for (int n = 2; taken.contains(name); n++) {
      name = base + "-" + n;
    }
    return name;
  }

  /** Preference among existing secrets: the operator's, then Logto's default, then others. */
  static int rank(String name) {
    if (isOperatorMade(name)) {
      return 0;
    }
    return DEFAULT_SECRET.equals(name) ? 1 : 2;
  }
}
