package io.logto.operator.drift;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.logto.operator.connection.ConnectionRegistry;
import io.logto.operator.connection.LogtoTenant;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.common.LogtoObjectStatus;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.logto.LogtoApi;
import io.logto.operator.logto.LogtoException;
import io.logto.operator.logto.model.ApiResource;
import io.logto.operator.logto.model.Application;
import io.logto.operator.logto.model.Role;
import io.logto.operator.logto.model.Scope;
import io.logto.operator.reconciler.apiresource.ApiResourceDrift;
import io.logto.operator.reconciler.apiresource.ApiResourceReconciler;
import io.logto.operator.reconciler.app.AppDrift;
import io.logto.operator.reconciler.app.M2MAppReconciler;
import io.logto.operator.reconciler.common.Conditions;
import io.logto.operator.reconciler.common.ConnectionLabels;
import io.logto.operator.reconciler.common.DriftQueue;
import io.logto.operator.reconciler.common.ReconcileTrigger;
import io.logto.operator.reconciler.role.RoleDrift;
import io.logto.operator.reconciler.role.RoleReconciler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds changes made in Logto behind the operator's back. Reconciles skip Logto when nothing
 * changed in Kubernetes, so this periodic comparison is what notices a deleted, renamed or
 * re-permissioned object. It reads Logto list by list (pages of 100), never object by object, and
 * queues only the objects that differ; their reconciles do the correcting.
 */
public final class ResyncService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ResyncService.class);

  /** What one resync found. */
  public record Report(int checked, int drifted) {}

  private final KubernetesClient client;
  private final ConnectionRegistry connections;
  private final DriftQueue queue;
  private final ReconcileTrigger<LogtoApiResource> resourceTrigger;
  private final ReconcileTrigger<LogtoRole> roleTrigger;
  private final ReconcileTrigger<LogtoM2MApp> appTrigger;
  private final Set<String> namespaces;
  private final Clock clock;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "logto-resync");
        t.setDaemon(true);
        return t;
      });

  public ResyncService(
      KubernetesClient client,
      ConnectionRegistry connections,
      DriftQueue queue,
      ReconcileTrigger<LogtoApiResource> resources,
      ReconcileTrigger<LogtoRole> roles,
      ReconcileTrigger<LogtoM2MApp> apps,
      Set<String> namespaces,
      Clock clock) {
    this.client = client;
    this.connections = connections;
    this.queue = queue;
    this.resourceTrigger = resources;
    this.roleTrigger = roles;
    this.appTrigger = apps;
    this.namespaces = Set.copyOf(namespaces);
    this.clock = clock;
  }

  public void schedule(Duration interval) {
    scheduler.scheduleWithFixedDelay(this::runSafely, interval.toMillis(), interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void runSafely() {
    try {
      runOnce();
    } catch (LogtoException e) {
      LOG.warn("resync skipped: Logto answered {} {}", e.status(), e.code());
    } catch (RuntimeException e) {
      LOG.warn("resync failed: {}", e.toString());
    }
  }

  /**
   * Compares Logto with every synced custom resource once, connection by connection, and queues
   * those that differ. A tenant that fails is skipped (and said so) without stopping the others.
   */
  public synchronized Report runOnce() {
    if (!appTrigger.isRunning()) {
      // Not started, or not the leader: the leader's resync does the work.
      return new Report(0, 0);
    }
    List<LogtoApiResource> resourceCrs = synced(LogtoApiResource.class);
    List<LogtoRole> roleCrs = synced(LogtoRole.class);
    List<LogtoM2MApp> appCrs = synced(LogtoM2MApp.class);
    List<LogtoRole> allRoles = watched(LogtoRole.class);
    int checked = 0;
    int drifted = 0;
    for (LogtoTenant tenant : connections.usable()) {
      Predicate<CustomResource<?, ?>> inTenant =
          cr -> tenant.key().equals(ConnectionLabels.keyOf(cr));
      try {
        Report report = compare(tenant.logto(),
            resourceCrs.stream().filter(inTenant).toList(),
            roleCrs.stream().filter(inTenant).toList(),
            appCrs.stream().filter(inTenant).toList(),
            allRoles.stream().filter(inTenant).toList());
        checked += report.checked();
        drifted += report.drifted();
        connections.outages().answered(tenant.key());
      } catch (LogtoException e) {
        LOG.warn("resync of connection {} skipped: Logto answered {} {}", tenant.key().label(),
            e.status(), e.code());
      }
    }
    return report(checked, drifted);
  }

  private Report compare(LogtoApi logto, List<LogtoApiResource> resourceCrs,
      List<LogtoRole> roleCrs, List<LogtoM2MApp> appCrs, List<LogtoRole> allRoles) {
    int drifted = 0;
    if (!resourceCrs.isEmpty()) {
      Map<String, ApiResource> byId = byId(logto.listApiResources(), ApiResource::id);
      for (LogtoApiResource cr : resourceCrs) {
        String diff = ApiResourceDrift.difference(cr, byId.get(cr.getStatus().getResourceId()));
        drifted += queue(ApiResourceReconciler.KIND, cr, diff, resourceTrigger);
      }
    }
    if (roleCrs.isEmpty() && appCrs.isEmpty()) {
      return new Report(resourceCrs.size(), drifted);
    }
    List<Role> roles = logto.listRoles();
    Map<String, Role> rolesById = byId(roles, Role::id);
    Map<String, Role> rolesByName = byId(roles, Role::name);
    for (LogtoRole cr : roleCrs) {
      Role inLogto = rolesById.get(cr.getStatus().getRoleId());
      List<Scope> scopes = inLogto == null ? List.of() : logto.listRoleScopes(inLogto.id());
      drifted += queue(RoleReconciler.KIND, cr, RoleDrift.difference(cr, inLogto, scopes),
          roleTrigger);
    }
    drifted += checkApps(logto, appCrs, allRoles, rolesById, rolesByName);
    return new Report(resourceCrs.size() + roleCrs.size() + appCrs.size(), drifted);
  }

  private int checkApps(LogtoApi logto, List<LogtoM2MApp> appCrs, List<LogtoRole> allRoles,
      Map<String, Role> rolesById, Map<String, Role> rolesByName) {
    if (appCrs.isEmpty()) {
      return 0;
    }
    Map<String, String> roleIdsByRef = new HashMap<>();
    for (LogtoRole role : allRoles) {
      if (role.getStatus() != null && role.getStatus().getRoleId() != null) {
        roleIdsByRef.put(key(role.getMetadata().getNamespace(), role.getMetadata().getName()),
            role.getStatus().getRoleId());
      }
    }
    Map<LogtoM2MApp, Set<String>> expected = new HashMap<>();
    Set<String> rolesToList = new HashSet<>();
    for (LogtoM2MApp cr : appCrs) {
      AppDrift.ExpectedRoles names = AppDrift.expectedRoles(cr);
      Set<String> ids = new HashSet<>();
      names.roleRefs().forEach(ref -> ids.add(
          roleIdsByRef.get(key(cr.getMetadata().getNamespace(), ref))));
      names.logtoRoleNames().forEach(name -> {
        Role role = rolesByName.get(name);
        ids.add(role == null ? null : role.id());
      });
      if (ids.contains(null)) {
        continue; // a reference that does not resolve: the app's own reconcile reports it
      }
      expected.put(cr, ids);
      ids.stream().filter(rolesById::containsKey).forEach(rolesToList::add);
    }
    Map<String, Set<String>> heldByApp = new HashMap<>();
    for (String roleId : rolesToList) {
      for (Application holder : logto.listRoleApplications(roleId)) {
        heldByApp.computeIfAbsent(holder.id(), k -> new HashSet<>()).add(roleId);
      }
    }
    Map<String, Application> appsById = byId(logto.listApplications(), Application::id);
    Instant now = clock.instant();
    int drifted = 0;
    for (var entry : expected.entrySet()) {
      LogtoM2MApp cr = entry.getKey();
      String appId = cr.getStatus().getAppId();
      Application inLogto = appsById.get(appId);
      String diff = AppDrift.difference(cr, inLogto,
          heldByApp.getOrDefault(appId, Set.of()), entry.getValue());
      if (diff == null) {
        diff = AppDrift.credentialsDue(cr, now);
      }
      if (diff == null && inLogto != null && AppDrift.watchesSecrets(cr)) {
        diff = AppDrift.secretsDifference(cr, logto.listApplicationSecrets(appId));
      }
      drifted += queue(M2MAppReconciler.KIND, cr, diff, appTrigger);
    }
    return drifted;
  }

  private <P extends CustomResource<?, ?>> int queue(
      String kind, P cr, String difference, ReconcileTrigger<P> trigger) {
    if (difference == null) {
      return 0;
    }
    ResourceID id = ResourceID.fromResource(cr);
    LOG.info("drift: {} {}/{}: {}", kind, cr.getMetadata().getNamespace(),
        cr.getMetadata().getName(), difference);
    queue.mark(kind, id);
    trigger.trigger(id);
    return 1;
  }

  private static Report report(int checked, int drifted) {
    LOG.info("resync: {} objects compared with Logto, {} drifted", checked, drifted);
    return new Report(checked, drifted);
  }

  /** Objects of the watched namespaces (RBAC may allow no more). */
  private <P extends CustomResource<?, ?>> List<P> watched(Class<P> type) {
    if (namespaces.isEmpty()) {
      return client.resources(type).inAnyNamespace().list().getItems();
    }
    List<P> items = new ArrayList<>();
    for (String ns : namespaces) {
      items.addAll(client.resources(type).inNamespace(ns).list().getItems());
    }
    return items;
  }

  /** Objects whose status says they are synced for their current generation. */
  private <P extends CustomResource<?, ? extends LogtoObjectStatus>> List<P> synced(
      Class<P> type) {
    return watched(type).stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> p.getStatus() != null
            && Conditions.isTrue(p.getStatus().getConditions(), Conditions.READY)
            && p.getMetadata().getGeneration() != null
            && p.getMetadata().getGeneration().equals(p.getStatus().getObservedGeneration()))
        .toList();
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  private static <T> Map<String, T> byId(List<T> items, Function<T, String> id) {
    return items.stream().collect(Collectors.toMap(id, Function.identity(), (a, b) -> a));
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
