package io.logto.operator.reconciler.apiresource;

import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.logto.model.ApiResource;
import io.logto.operator.logto.model.Scope;
import io.logto.operator.reconciler.common.SyncFailure;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Whether an API resource listed from Logto still matches its LogtoApiResource. */
public final class ApiResourceDrift {

  private ApiResourceDrift() {}

  /** Null when it matches, otherwise what differs. */
  public static String difference(LogtoApiResource cr, ApiResource inLogto) {
    DesiredApiResource desired;
    try {
      desired = DesiredApiResource.of(cr);
    } catch (SyncFailure invalid) {
      return null;
    }
    if (inLogto == null) {
      return "deleted in Logto";
    }
    if (!desired.name().equals(inLogto.name())) {
      return "renamed to '" + inLogto.name() + "'";
    }
    if (desired.accessTokenTtl() != null
        && !desired.accessTokenTtl().equals(inLogto.accessTokenTtl())) {
      return "access token TTL changed";
    }
    List<Scope> scopes = inLogto.scopes() == null ? List.of() : inLogto.scopes();
    Map<String, String> actual = new TreeMap<>();
    scopes.forEach(s -> actual.put(s.name(), s.description()));
    if (!new TreeMap<>(desired.scopes()).equals(actual)) {
      return "scopes changed";
    }
    return null;
  }
}
