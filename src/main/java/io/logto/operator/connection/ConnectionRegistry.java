package io.logto.operator.connection;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.logto.operator.crd.common.ConnectionRef;
import io.logto.operator.reconciler.common.SyncFailure;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Logto tenants the operator can reach, by connection: the operator's own (from its
 * environment) and one per LogtoConnection or ClusterLogtoConnection that its reconciler found
 * usable. Each has a client of its own, closed when the connection changes or goes.
 */
public final class ConnectionRegistry implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionRegistry.class);

  /** A connection's state: usable with its client, or not (and why). */
  private record Entry(LogtoTenant tenant, AutoCloseable client, String fingerprint,
      String problem) {}

  private final Map<ConnectionKey, Entry> entries = new ConcurrentHashMap<>();
  private final TenantOutages outages = new TenantOutages();
  private volatile ConnectionKinds kinds = ConnectionKinds.all();

  /** The connection kinds the cluster serves; objects naming another kind wait, saying why. */
  public void serveOnly(ConnectionKinds served) {
    this.kinds = served;
  }

  /** Which connections' Logto is down at the moment. */
  public TenantOutages outages() {
    return outages;
  }

  /** The operator's own connection, for objects without spec.connectionRef. */
  public void putDefault(LogtoTenant tenant) {
    entries.put(ConnectionKey.DEFAULT, new Entry(tenant, null, null, null));
  }

  /**
   * Makes a connection usable with this client; the one it replaces is closed.
   *
   * @param fingerprint what the tenant was built from: credentials, endpoint, CA, who may use it
   *     (a hash; never the credentials themselves)
   */
  public void put(LogtoTenant tenant, AutoCloseable client, String fingerprint) {
    close(entries.put(tenant.key(), new Entry(tenant, client, fingerprint, null)));
  }

  /** The connection exists but cannot be used: its objects wait, saying why. */
  public void markUnusable(ConnectionKey key, String problem) {
    close(entries.put(key, new Entry(null, null, null, problem)));
  }

  /** The connection is gone: its objects wait for it, and nothing is deleted in Logto. */
  public void remove(ConnectionKey key) {
    close(entries.remove(key));
  }

  /** What the usable client of a connection was built from, if it has one. */
  public Optional<String> fingerprint(ConnectionKey key) {
    return Optional.ofNullable(entries.get(key)).map(Entry::fingerprint);
  }

  /**
   * Whether the connection's reconciler has looked at it since the operator started (usable or
   * not). Until then an object naming it must not be judged: after a restart the objects'
   * controllers start as fast as the connections', and "does not exist" would be a false alarm.
   */
  public boolean registered(ConnectionKey key) {
    return entries.containsKey(key);
  }

  /** The connection's tenant if it is usable. */
  public Optional<LogtoTenant> usable(ConnectionKey key) {
    return Optional.ofNullable(entries.get(key)).map(Entry::tenant);
  }

  /** Every usable tenant (for the periodic resync). */
  public Collection<LogtoTenant> usable() {
    return entries.values().stream().map(Entry::tenant).filter(t -> t != null).toList();
  }

  /**
   * The tenant an object is reconciled in.
   *
   * @throws SyncFailure WaitingForDependency when the connection is missing or not usable,
   *     Forbidden when it does not allow the object's namespace (nothing reaches Logto then)
   */
  public LogtoTenant resolve(HasMetadata object, ConnectionRef ref) {
    ConnectionKey key = ConnectionKey.of(object, ref);
    kinds.whyNot(key.scope()).ifPresent(why -> {
      throw SyncFailure.waitingFor("spec.connectionRef: " + why);
    });
    Entry entry = entries.get(key);
    if (entry == null) {
      // Never the operator's own: the operator registers it at start (LOGTO_ENDPOINT is required).
      throw SyncFailure.waitingFor(key.describe() + " does not exist");
    }
    if (entry.tenant() == null) {
      throw SyncFailure.waitingFor(key.describe() + " is not ready: " + entry.problem());
    }
    String namespace = object.getMetadata().getNamespace();
    if (!entry.tenant().policy().allowed().test(namespace)) {
      throw SyncFailure.forbidden("spec.connectionRef: " + key.describe()
          + " does not allow namespace " + namespace + " (see its allowedNamespaces)");
    }
    return entry.tenant();
  }

  /**
   * The tenant of a usable connection that does not allow the object's namespace (any more):
   * where the operator takes back what the object was granted while it was allowed.
   */
  public Optional<LogtoTenant> disallowing(HasMetadata object, ConnectionRef ref) {
    ConnectionKey key = ConnectionKey.of(object, ref);
    return Optional.ofNullable(entries.get(key)).map(Entry::tenant)
        .filter(t -> !t.policy().allowed().test(object.getMetadata().getNamespace()));
  }

  private static void close(Entry entry) {
    if (entry != null && entry.client() != null) {
      try {
        entry.client().close();
      } catch (Exception e) {
        LOG.debug("closing the client of a replaced connection: {}", e.toString());
      }
    }
  }

  @Override
  public void close() {
    List.copyOf(entries.keySet()).forEach(this::remove);
  }
}
