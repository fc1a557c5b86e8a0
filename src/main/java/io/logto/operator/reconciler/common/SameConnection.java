package io.logto.operator.reconciler.common;

import io.fabric8.kubernetes.client.CustomResource;
import io.logto.operator.connection.ConnectionKey;

/**
 * A reference may only name an object of the same connection: a role holds scopes of API resources
 * in its own tenant, an app holds roles of its own tenant. Ids of another tenant mean nothing
 * there.
 */
public final class SameConnection {

  private SameConnection() {}

  /**
   * @param field the referencing field, as the message names it
   * @param named the referenced object as messages name it ({@code LogtoRole ns/name})
   * @throws SyncFailure InvalidSpec when the two live in different connections
   */
  public static void check(String field, CustomResource<?, ?> referencing, String named,
      CustomResource<?, ?> referenced) {
    ConnectionKey mine = ConnectionLabels.keyOf(referencing);
    ConnectionKey theirs = ConnectionLabels.keyOf(referenced);
    if (!mine.equals(theirs)) {
      throw SyncFailure.invalidSpec(field + ": " + named + " uses " + theirs.describe()
          + ", this " + referencing.getKind() + " uses " + mine.describe()
          + "; references cannot cross connections");
    }
  }
}
