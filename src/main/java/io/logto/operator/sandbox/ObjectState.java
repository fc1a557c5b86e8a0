package io.logto.operator.sandbox;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.CustomResource;
import io.logto.operator.connection.ConnectionKey;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.app.AppRoleAssignment;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.common.ConnectionRef;
import io.logto.operator.crd.common.LogtoObjectStatus;
import io.logto.operator.crd.common.WithConnection;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.crd.role.RolePermission;
import io.logto.operator.reconciler.common.Conditions;
import io.logto.operator.reconciler.common.Reason;
import io.logto.operator.crd.apiresource.ApiScope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the sandbox sees of one custom resource: its Logto id, its conditions, and whether it is
 * done converging.
 *
 * @param settle READY, FAILED (a permanent failure: waiting will not help), BLOCKED (waiting for an
 *     object that failed or does not exist), PENDING (still converging) or MISSING
 * @param references the objects of this operator it waits for (same namespace)
 * @param connectionRef the Logto connection it is reconciled through; null for the operator's own
 * @param scopes the scopes a LogtoApiResource declares, or those a LogtoRole wants of each
 *     resource it references: what tells a wait that can end from one that cannot
 */
public record ObjectState(
    ObjectKey key,
    ConnectionRef connectionRef,
    String logtoId,
    List<Condition> conditions,
    Settle settle,
    String reason,
    String message,
    List<ObjectKey> references,
    Scopes scopes) {

  /**
   * @param declared what the spec of a LogtoApiResource declares
   * @param wanted per LogtoApiResource a LogtoRole references, the scopes it holds of it
   */
  public record Scopes(Set<String> declared, Map<ObjectKey, Set<String>> wanted) {
    public static final Scopes NONE = new Scopes(Set.of(), Map.of());
  }

  /** An object whose scopes do not matter to its wait (an app, or a state made in a test). */
  public ObjectState(ObjectKey key, ConnectionRef connectionRef, String logtoId,
      List<Condition> conditions, Settle settle, String reason, String message,
      List<ObjectKey> references) {
    this(key, connectionRef, logtoId, conditions, settle, reason, message, references,
        Scopes.NONE);
  }

  public enum Settle { READY, FAILED, BLOCKED, PENDING, MISSING }

  /** How the sandbox names the operator's own connection (objects without connectionRef). */
  public static final String OWN_CONNECTION = "own";

  /** {@code own}, or the connection's kind and name: {@code ClusterLogtoConnection/tenant-2}. */
  public static String connectionLabel(ConnectionRef ref) {
    return ref == null || ref.getKind() == null ? OWN_CONNECTION
        : ref.getKind() + "/" + ref.getName();
  }

  /** Failures the operator will not retry until the spec (or Logto) changes. */
  public static boolean isPermanent(String reason) {
    try {
      return reason != null && Reason.valueOf(reason).isPermanent();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public static ObjectState missing(ObjectKey key) {
    return new ObjectState(key, null, null, List.of(), Settle.MISSING, "NotFound",
        "the object does not exist in the Kubernetes API", List.of());
  }

  /** The state of an object as read from the Kubernetes API (before dependencies are weighed). */
  public static ObjectState of(CustomResource<?, ? extends LogtoObjectStatus> resource) {
    ObjectKey key = ObjectKey.of(resource);
    LogtoObjectStatus status = resource.getStatus();
    List<Condition> conditions = status == null ? List.of() : List.copyOf(status.getConditions());
    Long generation = resource.getMetadata().getGeneration();
    Optional<Condition> ready =
        Conditions.find(conditions, Conditions.READY)
            .filter(c -> generation == null
                || Objects.equals(generation, c.getObservedGeneration()));
    Settle settle;
    if (resource.getMetadata().getDeletionTimestamp() != null) {
      settle = Settle.PENDING;
    } else if (ready.isEmpty()) {
      settle = Settle.PENDING;
    } else if ("True".equals(ready.get().getStatus())) {
      settle = Settle.READY;
    } else if (isPermanent(ready.get().getReason())) {
      settle = Settle.FAILED;
    } else {
      settle = Settle.PENDING;
    }
    String reason = ready.map(Condition::getReason).orElse(
        resource.getMetadata().getDeletionTimestamp() != null ? "Deleting" : "Pending");
    String message = ready.map(Condition::getMessage).orElse("not reconciled yet");
    ConnectionRef ref = resource.getSpec() instanceof WithConnection spec
        ? spec.getConnectionRef() : null;
    return new ObjectState(key, ref, logtoId(resource), conditions, settle, reason, message,
        references(resource), scopes(resource));
  }

  public ObjectState withSettle(Settle newSettle, String newMessage) {
    return new ObjectState(key, connectionRef, logtoId, conditions, newSettle, reason, newMessage,
        references, scopes);
  }

  /** The connection as {@link #connectionLabel} names it. */
  public String connection() {
    return connectionLabel(connectionRef);
  }

  /** The connection it names, if any (a LogtoConnection is in the object's namespace). */
  public Optional<ConnectionKey> connectionKey() {
    if (connectionRef == null || connectionRef.getKind() == null) {
      return Optional.empty();
    }
    return Optional.of(connectionRef.getKind() == ConnectionRef.Kind.ClusterLogtoConnection
        ? ConnectionKey.cluster(connectionRef.getName())
        : ConnectionKey.namespaced(key.namespace(), connectionRef.getName()));
  }

  public boolean isReady() {
    return settle == Settle.READY;
  }

  /** Whether waiting longer cannot change the outcome. */
  public boolean isSettled() {
    return settle == Settle.READY || settle == Settle.FAILED || settle == Settle.BLOCKED;
  }

  public boolean isWaitingForDependency() {
    return Reason.WaitingForDependency.name().equals(reason);
  }

  private static String logtoId(CustomResource<?, ?> resource) {
    if (resource instanceof LogtoApiResource r && r.getStatus() != null) {
      return r.getStatus().getResourceId();
    }
    if (resource instanceof LogtoRole r && r.getStatus() != null) {
      return r.getStatus().getRoleId();
    }
    if (resource instanceof LogtoM2MApp a && a.getStatus() != null) {
      return a.getStatus().getAppId();
    }
    return null;
  }

  private static List<ObjectKey> references(CustomResource<?, ?> resource) {
    String ns = resource.getMetadata().getNamespace();
    if (resource instanceof LogtoRole role && role.getSpec() != null) {
      return role.getSpec().getPermissions().stream()
          .map(RolePermission::getResourceRef)
          .filter(Objects::nonNull)
          .map(ref -> new ObjectKey("LogtoApiResource", ns, ref.getName()))
          .distinct()
          .toList();
    }
    if (resource instanceof LogtoM2MApp app && app.getSpec() != null) {
      return app.getSpec().getRoles().stream()
          .map(AppRoleAssignment::getRoleRef)
          .filter(Objects::nonNull)
          .map(ref -> new ObjectKey("LogtoRole", ns, ref.getName()))
          .distinct()
          .toList();
    }
    return List.of();
  }

  private static Scopes scopes(CustomResource<?, ?> resource) {
    if (resource instanceof LogtoApiResource api && api.getSpec() != null) {
      Set<String> declared = new TreeSet<>();
      Optional.ofNullable(api.getSpec().getScopes()).orElse(List.of()).stream()
          .map(ApiScope::getName).filter(Objects::nonNull).forEach(declared::add);
      return new Scopes(declared, Map.of());
    }
    if (resource instanceof LogtoRole role && role.getSpec() != null) {
      String ns = resource.getMetadata().getNamespace();
      Map<ObjectKey, Set<String>> wanted = new LinkedHashMap<>();
      for (RolePermission permission
          : Optional.ofNullable(role.getSpec().getPermissions()).orElse(List.of())) {
        if (permission.getResourceRef() != null && permission.getResourceRef().getName() != null
            && permission.getScopes() != null) {
          wanted.computeIfAbsent(new ObjectKey("LogtoApiResource", ns,
              permission.getResourceRef().getName()), k -> new TreeSet<>())
              .addAll(permission.getScopes());
        }
      }
      return new Scopes(Set.of(), wanted);
    }
    return Scopes.NONE;
  }
}
