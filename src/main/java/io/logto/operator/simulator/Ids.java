package io.logto.operator.simulator;

import java.security.SecureRandom;

/** Random identifiers shaped like Logto's: 21 lowercase alphanumerics for ids, 32 for secrets. */
final class Ids {
  private static final String LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final String ALNUM =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String URL_SAFE = ALNUM + "-_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  /** An entity id, like Logto's {@code generateStandardId()}. */
  static String id() {
    return random(LOWER_ALNUM, 21);
  }

  /** An application secret value, like Logto's {@code generateStandardSecret()}. */
  static String secret() {
    return random(ALNUM, 32);
  }

  /** A JWT id, like the 43-character ids of oidc-provider. */
  static String jti() {
    return random(URL_SAFE, 43);
  }

  static String random(String alphabet, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
