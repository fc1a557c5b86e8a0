package io.logto.operator.reconciler.app;

import io.logto.operator.logto.LogtoApi;
import io.logto.operator.logto.LogtoException;
import io.logto.operator.logto.model.TokenGrant;
import io.logto.operator.reconciler.common.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Proves that the credentials written into a Secret work: obtains a token with them for each API
 * resource the app's roles cover and compares the granted scopes with the expected ones. Logto
 * answers 200 and leaves out a scope it does not grant, so the granted scopes are what counts.
 */
final class CredentialsVerifier {

  /** The verdict, as the CredentialsVerified condition will say. */
  record Verdict(boolean ok, Reason reason, String message) {
    /**
     * Whether Logto accepted the secret: the check passed, found nothing to check, or obtained
     * tokens that lack scopes (a matter of roles, not of the secret).
     */
    boolean credentialsAccepted() {
      return ok || reason == Reason.ScopesMissing;
    }
  }

  Verdict verify(LogtoApi logto, CredentialsSecrets.Credentials credentials,
      Map<String, List<String>> expected) {
    if (expected.isEmpty()) {
      return new Verdict(true, Reason.NotChecked,
          "the app's roles grant no API scopes: there is no token to check");
    }
    List<String> problems = new ArrayList<>();
    List<String> granted = new ArrayList<>();
    for (var entry : expected.entrySet()) {
      String resource = entry.getKey();
      TokenGrant grant;
      try {
        grant = logto.requestToken(credentials.appId(), credentials.appSecret(), resource,
            entry.getValue());
      } catch (LogtoException e) {
        return new Verdict(false, Reason.VerificationFailed,
            "could not obtain a token for " + resource + " with the written credentials: "
                + refusal(e));
      }
      TreeSet<String> missing = new TreeSet<>(entry.getValue());
      missing.removeAll(grant.grantedScopes());
      if (missing.isEmpty()) {
        granted.add(resource + " (" + String.join(" ", entry.getValue()) + ")");
      } else {
        problems.add(resource + ": missing " + String.join(" ", missing));
      }
    }
    if (!problems.isEmpty()) {
      return new Verdict(false, Reason.ScopesMissing,
          "tokens obtained with the written credentials lack scopes: "
              + String.join("; ", problems));
    }
    return new Verdict(true, Reason.Verified,
        "tokens obtained with the written credentials carry the expected scopes: "
            + String.join(", ", granted));
  }

  /**
   * Logto's refusal in words: an expired secret is 400 oidc.invalid_request, a wrong or deleted
   * one 401 oidc.invalid_client, an unknown application 400 oidc.invalid_client (seen on Logto
   * 1.37.1).
   */
  private static String refusal(LogtoException e) {
    if (e.isUnavailable()) {
      return "Logto is unavailable";
    }
    String answered = e.status() + (e.code() == null ? "" : " " + e.code());
    if (e.status() == 400 && "oidc.invalid_request".equals(e.code())) {
      return "Logto refused the secret as expired (" + answered + ")";
    }
    if ("oidc.invalid_client".equals(e.code())) {
      // 401 for a wrong or deleted secret, 400 for an application Logto does not have.
      return "Logto does not know the secret: deleted, or not this application's (" + answered
          + ")";
    }
    return "Logto answered " + answered;
  }
}
