package io.logto.operator.e2e;

import io.fabric8.kubernetes.client.CustomResource;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.role.LogtoRole;
import java.util.List;

/**
 * The kinds that hold Logto objects, dependents first (the order in which to remove them). The
 * connection kinds are not here: the tests that make connections delete them while the operator
 * runs.
 */
final class E2eKinds {

  static final List<Class<? extends CustomResource<?, ?>>> ALL =
      List.of(LogtoM2MApp.class, LogtoRole.class, LogtoApiResource.class);

  private E2eKinds() {}
}
