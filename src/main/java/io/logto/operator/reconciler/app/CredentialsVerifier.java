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
        String why = e.isUnavailable() ? "Logto is unavailable" : "Logto answered " + e.status()
            + (e.code() == null ? "" : " " + e.code());
        return new Verdict(false, Reason.VerificationFailed,
            "could not obtain a token for " + resource + " with the written credentials: " + why);
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
}
