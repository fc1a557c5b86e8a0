package io.logto.operator.connection;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.logto.operator.crd.connection.ClusterLogtoConnection;
import io.logto.operator.crd.connection.ConnectionSpec;
import io.logto.operator.crd.connection.LogtoConnectionStatus;
import io.logto.operator.logto.LogtoClient;
import io.logto.operator.logto.LogtoConnection;
import io.logto.operator.logto.LogtoException;
import io.logto.operator.reconciler.common.Conditions;
import io.logto.operator.reconciler.common.DesiredStateHash;
import io.logto.operator.reconciler.common.EventRecorder;
import io.logto.operator.reconciler.common.Reason;
import io.logto.operator.reconciler.common.SyncFailure;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a LogtoConnection or ClusterLogtoConnection usable: reads its credentials Secret (and CA
 * bundle), builds a Logto client of its own, proves the credentials by obtaining a Management API
 * token, and registers the tenant for the objects that name the connection. It looks again every
 * {@code recheck}: a credentials Secret that changed gets a new client without a restart. The
 * objects that use the connection are woken whenever it becomes usable, changes or goes.
 */
public abstract class ConnectionReconciler<C extends CustomResource<? extends ConnectionSpec,
    LogtoConnectionStatus>> implements Reconciler<C>, Cleaner<C> {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionReconciler.class);

  private final ConnectionRegistry registry;
  private final TenantClients clients;
  private final Consumer<ConnectionKey> wakeUsers;
  private final EventRecorder events;
  private final String operatorNamespace;
  private final Clock clock;
  private final Duration recheck;

  /**
   * @param operatorNamespace where a ClusterLogtoConnection's Secret is unless it names another
   *     namespace (null when unknown)
   * @param recheck how often the credentials are read and proven again
   */
  ConnectionReconciler(ConnectionRegistry registry, TenantClients clients,
      Consumer<ConnectionKey> wakeUsers, EventRecorder events, String operatorNamespace,
      Clock clock, Duration recheck) {
    this.registry = registry;
    this.clients = clients;
    this.wakeUsers = wakeUsers;
    this.events = events;
    this.operatorNamespace = operatorNamespace;
    this.clock = clock;
    this.recheck = recheck;
  }

  /** The connection's key in the registry. */
  abstract ConnectionKey keyOf(C connection);

  /** Who may use the connection. */
  abstract NamespacePolicy policy(C connection);

  /** What {@link #policy} is built from, beyond the key. */
  abstract Object policyInputs(C connection);

  /** LogtoConnection: its own namespace may use it. */
  public static final class Namespaced
      extends ConnectionReconciler<io.logto.operator.crd.connection.LogtoConnection> {
    public Namespaced(ConnectionRegistry registry, TenantClients clients,
        Consumer<ConnectionKey> wakeUsers, EventRecorder events, String operatorNamespace,
        Clock clock, Duration recheck) {
      super(registry, clients, wakeUsers, events, operatorNamespace, clock, recheck);
    }

    @Override
    ConnectionKey keyOf(io.logto.operator.crd.connection.LogtoConnection connection) {
      return ConnectionKey.namespaced(connection.getMetadata().getNamespace(),
          connection.getMetadata().getName());
    }

    @Override
    NamespacePolicy policy(io.logto.operator.crd.connection.LogtoConnection connection) {
      return NamespacePolicy.ownNamespace(connection.getMetadata().getNamespace());
    }

    @Override
    Object policyInputs(io.logto.operator.crd.connection.LogtoConnection connection) {
      return List.of(); // only its namespace, which the key holds
    }
  }

  /** ClusterLogtoConnection: the namespaces it allows may use it. */
  public static final class Cluster extends ConnectionReconciler<ClusterLogtoConnection> {
    private final NamespaceLabels namespaceLabels;

    public Cluster(ConnectionRegistry registry, TenantClients clients,
        NamespaceLabels namespaceLabels, Consumer<ConnectionKey> wakeUsers, EventRecorder events,
        String operatorNamespace, Clock clock, Duration recheck) {
      super(registry, clients, wakeUsers, events, operatorNamespace, clock, recheck);
      this.namespaceLabels = namespaceLabels;
    }

    @Override
    ConnectionKey keyOf(ClusterLogtoConnection connection) {
      return ConnectionKey.cluster(connection.getMetadata().getName());
    }

    @Override
    NamespacePolicy policy(ClusterLogtoConnection connection) {
      return ClusterNamespaces.policy(connection.getMetadata().getName(), connection.getSpec(),
          namespaceLabels);
    }

    @Override
    Object policyInputs(ClusterLogtoConnection connection) {
      return java.util.Arrays.asList(connection.getSpec().getAllowedNamespaces(),
          connection.getSpec().getPrivilegedNamespaces());
    }
  }

  @Override
  public UpdateControl<C> reconcile(C connection, Context<C> context) {
    ConnectionKey key = keyOf(connection);
    LogtoConnectionStatus status = new LogtoConnectionStatus();
    LogtoConnectionStatus before = connection.getStatus();
    if (before != null) {
      status.setConditions(before.getConditions());
      status.setLastTokenTime(before.getLastTokenTime());
    }
    long generation = generation(connection);
    Reason reason;
    String message;
    try {
      ConnectionSettings settings = ConnectionSettings.of(connection.getSpec(),
          connection.getMetadata().getNamespace(), operatorNamespace);
      status.setManagementApiResource(settings.managementApiResource());
      LogtoConnection credentials = credentials(context.getClient(), settings);
      String caPem = caBundle(context.getClient(), settings);
      // Who may use the connection is part of it: an edit of allowedNamespaces alone must take
      // effect (and wake the objects it now allows or refuses), so it builds the tenant again.
      String fingerprint = DesiredStateHash.of(List.of(credentials.endpoint().toString(),
          credentials.managementApiResource(), credentials.appId(), credentials.appSecret(),
          Objects.toString(caPem), settings.maxConcurrentCalls(), policyInputs(connection)));
      boolean changed = !registry.fingerprint(key).filter(fingerprint::equals).isPresent();
      LogtoClient client = changed ? newClient(key, credentials, settings, caPem) : null;
      LogtoTenant tenant = changed
          ? new LogtoTenant(key, client, credentials, policy(connection))
          : registry.usable(key).orElseThrow();
      try {
        tenant.logto().requestToken(credentials.appId(), credentials.appSecret(),
            credentials.managementApiResource(), List.of("all"));
      } catch (LogtoException e) {
        if (e.isUnavailable()) {
          // Logto is down: the client stays; the objects see the outage themselves and retry.
          register(key, tenant, client, fingerprint, changed, connection);
          throw SyncFailure.waitingFor("no answer from Logto at " + credentials.endpoint()
              + ": " + e.getMessage()).withReason(Reason.Unreachable);
        }
        if (client != null) {
          client.close();
        }
        throw SyncFailure.forbidden("Logto refused the credentials in Secret "
            + settings.secretNamespace() + "/" + settings.secret().getName() + " ("
            + e.status() + (e.code() == null ? "" : " " + e.code()) + ")")
            .withReason(Reason.Unauthorized);
      }
      register(key, tenant, client, fingerprint, changed, connection);
      probeAfterOutage(key, tenant, credentials.appId());
      status.setLastTokenTime(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
      reason = Reason.Connected;
      message = "obtained a Management API token for " + credentials.managementApiResource()
          + " at " + credentials.endpoint() + " as App ID " + credentials.appId();
    } catch (SyncFailure failure) {
      reason = failure.reason();
      message = failure.getMessage();
      if (reason != Reason.Unreachable) {
        unusable(key, message, connection);
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() <= 0 || e.getCode() >= 500) {
        // No answer from the API server (the operator shutting down, the API server away):
        // nothing is known of the credentials, so the last verdict stands and the framework
        // retries, rather than a Warning about a Secret that is fine.
        throw e;
      }
      reason = Reason.WaitingForDependency;
      message = "could not read the credentials: the API server answered " + e.getCode();
      unusable(key, message, connection);
    }
    Condition previous = Conditions.find(status.getConditions(), Conditions.READY).orElse(null);
    status.setConditions(Conditions.set(status.getConditions(), Conditions.READY,
        reason == Reason.Connected, reason, message, generation, clock));
    status.setObservedGeneration(generation);
    if (previous == null || !Objects.equals(previous.getReason(), reason.name())) {
      if (reason == Reason.Connected) {
        events.normal(connection, reason.name(), message);
      } else {
        events.warning(connection, reason.name(), message);
      }
      LOG.info("{} {}: {}: {}", connection.getKind(), key.label(), reason, message);
    }
    if (!sameStatus(before, status)) {
      PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(connection, context, c -> {
        c.setStatus(status);
        return c;
      });
    }
    return UpdateControl.<C>noUpdate().rescheduleAfter(recheck);
  }

  /**
   * While the connection's objects see Logto down, asks its Management API for something small
   * (the operator's own application), so that they are woken soon after it is back even if each
   * of them backed off for longer.
   */
  private void probeAfterOutage(ConnectionKey key, LogtoTenant tenant, String appId) {
    if (!registry.outages().isDown(key)) {
      return;
    }
    try {
      tenant.logto().getApplication(appId);
      registry.outages().answered(key);
    } catch (LogtoException e) {
      if (!e.isUnavailable()) {
        registry.outages().answered(key);
      }
    }
  }

  /** The connection's client; what it cannot be built from is the spec's to fix. */
  private LogtoClient newClient(ConnectionKey key, LogtoConnection credentials,
      ConnectionSettings settings, String caPem) {
    try {
      return clients.create(key, credentials, settings.maxConcurrentCalls(), caPem);
    } catch (IllegalArgumentException e) {
      // A CA bundle that is not a certificate, an endpoint OkHttp refuses: left to the
      // framework's retry, it would leave the last status (and the last client) in place.
      throw SyncFailure.invalidSpec("spec: " + e.getMessage());
    }
  }

  private void register(ConnectionKey key, LogtoTenant tenant, LogtoClient client,
      String fingerprint, boolean changed, C connection) {
    if (changed) {
      registry.put(tenant, client, fingerprint);
      LOG.info("{} {}: client for {} ready", connection.getKind(), key.label(),
          tenant.connection().endpoint());
      wakeUsers.accept(key);
    }
  }

  private void unusable(ConnectionKey key, String problem, C connection) {
    boolean wasUsable = registry.usable(key).isPresent();
    boolean firstLook = !registry.registered(key);
    registry.markUnusable(key, problem);
    if (wasUsable || firstLook) {
      // On the first look, its objects are waiting for a verdict without one (see registered).
      wakeUsers.accept(key);
    }
  }

  @Override
  public DeleteControl cleanup(C connection, Context<C> context) {
    ConnectionKey key = keyOf(connection);
    registry.remove(key);
    LOG.info("{} {}: deleted; its objects wait for it, and nothing is deleted in Logto",
        connection.getKind(), key.label());
    wakeUsers.accept(key);
    return DeleteControl.defaultDelete();
  }

  private static LogtoConnection credentials(KubernetesClient client, ConnectionSettings s) {
    String where = s.secretNamespace() + "/" + s.secret().getName();
    Secret secret = readable(() -> client.secrets().inNamespace(s.secretNamespace())
        .withName(s.secret().getName()).get(), "Secret " + where, s);
    if (secret == null) {
      throw SyncFailure.waitingFor("Secret " + where + " does not exist");
    }
    String appId = value(secret, s.secret().getAppIdKey(), where);
    String appSecret = value(secret, s.secret().getAppSecretKey(), where);
    return new LogtoConnection(s.endpoint(), s.managementApiResource(), appId, appSecret);
  }

  private static String value(Secret secret, String key, String where) {
    String encoded = secret.getData() == null ? null : secret.getData().get(key);
    String plain = secret.getStringData() == null ? null : secret.getStringData().get(key);
    if (encoded == null && plain == null) {
      throw SyncFailure.invalidSpec("spec.credentialsSecretRef: Secret " + where + " has no key "
          + key);
    }
    String value = plain != null ? plain
        : new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).trim();
    if (value.isEmpty()) {
      throw SyncFailure.invalidSpec("spec.credentialsSecretRef: key " + key + " of Secret "
          + where + " is empty");
    }
    return value;
  }

  private static String caBundle(KubernetesClient client, ConnectionSettings s) {
    if (s.caConfigMap() == null) {
      return null;
    }
    String where = s.secretNamespace() + "/" + s.caConfigMap();
    ConfigMap map = readable(() -> client.configMaps().inNamespace(s.secretNamespace())
        .withName(s.caConfigMap()).get(), "ConfigMap " + where, s);
    if (map == null) {
      throw SyncFailure.waitingFor("ConfigMap " + where + " does not exist");
    }
    String pem = map.getData() == null ? null : map.getData().get(s.caKey());
    if (pem == null || !pem.contains("BEGIN CERTIFICATE")) {
      throw SyncFailure.invalidSpec("spec.caBundle: ConfigMap " + where + " has no PEM"
          + " certificate under key " + s.caKey());
    }
    return pem;
  }

  /** Reads an object the connection names; a refusal of RBAC says where reading is allowed. */
  private static <T> T readable(java.util.function.Supplier<T> read, String what,
      ConnectionSettings s) {
    try {
      return read.get();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 403) {
        throw e;
      }
      throw SyncFailure.forbidden("the operator may not read " + what + " (403)"
          + (s.clusterScoped() ? ": a ClusterLogtoConnection's Secret and CA bundle belong in"
              + " the operator's namespace, where the chart lets it read them" : ""));
    }
  }

  private static long generation(CustomResource<?, ?> connection) {
    Long generation = connection.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }

  private static boolean sameStatus(LogtoConnectionStatus before, LogtoConnectionStatus after) {
    if (before == null) {
      return false;
    }
    return Objects.equals(before.getObservedGeneration(), after.getObservedGeneration())
        && Objects.equals(before.getManagementApiResource(), after.getManagementApiResource())
        && Objects.equals(before.getLastTokenTime(), after.getLastTokenTime())
        && Objects.equals(before.getConditions(), after.getConditions());
  }
}
