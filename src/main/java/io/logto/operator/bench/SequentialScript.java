package io.logto.operator.bench;

import io.logto.operator.logto.LogtoApi;
import io.logto.operator.logto.LogtoException;
import io.logto.operator.logto.model.Application;
import io.logto.operator.logto.model.ApplicationSecret;
import io.logto.operator.logto.model.NewApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a user would do by hand for each app, one call after the other, with no operator: create
 * the M2M app, read its secret, assign it a role, obtain a token with its credentials. The
 * benchmark's baseline on a real Logto: the same work as the operator's, with nothing around it.
 */
final class SequentialScript {

  /** One role to assign, and what a token of an app holding it asks for. */
  record Grant(String roleId, String resourceIndicator, String scope) {}

  /** How long the script took, and the apps it created (to delete afterwards). */
  record Outcome(int apps, double seconds, List<String> applicationIds) {
    double millisPerApp() {
      return seconds * 1000 / apps;
    }
  }

  private final LogtoApi logto;

  SequentialScript(LogtoApi logto) {
    this.logto = logto;
  }

  /** Onboards {@code apps} apps named {@code prefix-i}, app i with grant i mod grants. */
  Outcome run(String prefix, int apps, List<Grant> grants) {
    List<String> created = new ArrayList<>();
    long start = System.nanoTime();
    try {
      for (int i = 0; i < apps; i++) {
        Grant grant = grants.get(i % grants.size());
        Application app = logto.createApplication(new NewApplication(prefix + "-" + i, null,
            null));
        created.add(app.id());
        List<ApplicationSecret> secrets = logto.listApplicationSecrets(app.id());
        if (secrets.isEmpty()) {
          throw new IllegalStateException("Logto created app " + app.id() + " without a secret");
        }
        logto.assignApplicationRoles(app.id(), List.of(grant.roleId()));
        logto.requestToken(app.id(), secrets.get(0).value(), grant.resourceIndicator(),
            Set.of(grant.scope()));
      }
    } catch (LogtoException e) {
      deleteAll(created);
      throw new IllegalStateException("the sequential script failed after " + created.size()
          + " apps: " + e.getMessage(), e);
    }
    return new Outcome(apps, (System.nanoTime() - start) / 1e9, created);
  }

  void deleteAll(List<String> applicationIds) {
    for (String id : applicationIds) {
      try {
        logto.deleteApplication(id);
      } catch (LogtoException e) {
        if (e.status() != 404) {
          throw e;
        }
      }
    }
  }
}
