package io.logto.operator.reconciler.apiresource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.apiresource.LogtoApiResourceStatus;
import io.logto.operator.crd.common.DeletionPolicy;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.logto.LogtoException;
import io.logto.operator.logto.model.ApiResource;
import io.logto.operator.logto.model.ApiResourceUpdate;
import io.logto.operator.logto.model.NewApiResource;
import io.logto.operator.logto.model.Scope;
import io.logto.operator.reconciler.common.ConnectionLabels;
import io.logto.operator.reconciler.common.Conditions;
import io.logto.operator.reconciler.common.DesiredStateHash;
import io.logto.operator.reconciler.common.LogtoKeyOwners;
import io.logto.operator.reconciler.common.LogtoObjectReconciler;
import io.logto.operator.reconciler.common.ManagedLabels;
import io.logto.operator.reconciler.common.NameClaims;
import io.logto.operator.reconciler.common.NotFound;
import io.logto.operator.reconciler.common.ObjectNames;
import io.logto.operator.reconciler.common.OperatorServices;
import io.logto.operator.reconciler.common.Outcome;
import io.logto.operator.reconciler.common.OwnedObjectWriter;
import io.logto.operator.reconciler.common.ReconcileTrigger;
import io.logto.operator.reconciler.common.SyncFailure;
import io.logto.operator.reconciler.common.SyncSession;
import io.logto.operator.reconciler.role.RoleReferences;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a LogtoApiResource: the API resource in Logto, its scopes, and the ConfigMap for the
 * service behind the indicator.
 */
public final class ApiResourceReconciler
    extends LogtoObjectReconciler<LogtoApiResource, LogtoApiResourceStatus> {

  public static final String KIND = "LogtoApiResource";
  private static final Logger LOG = LoggerFactory.getLogger(ApiResourceReconciler.class);
  private static final String INDICATOR_FIELD = "spec.indicator";
  private static final String CONFIG_MAP_FIELD = "spec.configMap.name";

  private final OwnedObjectWriter writer;
  private final ReconcileTrigger<LogtoApiResource> trigger = new ReconcileTrigger<>();
  private final LogtoKeyOwners<LogtoApiResource> indicatorOwners =
      new LogtoKeyOwners<>("byIndicator", ApiResourceReconciler::indicatorOf,
          r -> r.getStatus() == null ? null : r.getStatus().getResourceId(),
          r -> r.getStatus() == null ? null : r.getStatus().getPendingCreate(),
          ApiResourceReconciler::retainsOnDeletion, ConnectionLabels::tenantOf, trigger);
  private final NameClaims<LogtoApiResource> configMapNames =
      new NameClaims<>("byConfigMapName", ApiResourceReconciler::configMapNameOf,
          ApiResourceReconciler::holdsConfigMap, trigger);
  private InformerEventSource<LogtoRole, LogtoApiResource> roles;

  public ApiResourceReconciler(OperatorServices services, OwnedObjectWriter writer) {
    super(services, LogtoApiResourceStatus.class);
    this.writer = writer;
    // A Conflict with a Secret or ConfigMap of someone else clears once it is deleted.
    writer.wakeOwnersOfKind(KIND, trigger::trigger);
  }

  @Override
  protected String kind() {
    return KIND;
  }

  @Override
  public ReconcileTrigger<LogtoApiResource> trigger() {
    return trigger;
  }

  @Override
  public List<EventSource<?, LogtoApiResource>> prepareEventSources(
      EventSourceContext<LogtoApiResource> context) {
    indexByConnection(context);
    indicatorOwners.register(context.getPrimaryCache());
    configMapNames.register(context.getPrimaryCache());
    var configMaps =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ConfigMap.class, LogtoApiResource.class)
                .withLabelSelector(ManagedLabels.SELECTOR)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(LogtoApiResource.class))
                .build(),
            context);
    // Roles are watched so that a deletion blocked by a referencing role resumes when it goes.
    roles =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(LogtoRole.class, LogtoApiResource.class)
                .withSecondaryToPrimaryMapper(
                    role ->
                        RoleReferences.resourceNames(role).stream()
                            .map(n -> new ResourceID(n, role.getMetadata().getNamespace()))
                            .collect(Collectors.toSet()))
                .build(),
            context);
    return List.of(configMaps, roles, trigger);
  }

  @Override
  protected Outcome sync(SyncSession<LogtoApiResource, LogtoApiResourceStatus> session) {
    LogtoApiResource resource = session.resource();
    DesiredApiResource desired = DesiredApiResource.of(resource);
    if (desired.indicator().equals(session.tenant().managementApiResource())) {
      throw SyncFailure.forbidden(
          "spec.indicator: the Logto Management API is built into Logto and cannot be managed by"
              + " a LogtoApiResource");
    }
    LogtoApiResourceStatus status = session.status();
    String hash = DesiredStateHash.of(desired);
    boolean drifted = services.drift().take(KIND, ResourceID.fromResource(resource));
    boolean unchanged =
        !drifted
            && status.getResourceId() != null
            && hash.equals(status.getAppliedHash())
            && Objects.equals(status.getObservedGeneration(), session.generation())
            && Conditions.isTrue(status.getConditions(), Conditions.READY);
    Optional<ConfigMap> cachedConfigMap = cachedConfigMap(session, desired.configMapName());
    if (!unchanged) {
      if (cachedConfigMap.isEmpty()) {
        claimConfigMapName(session, desired);
      }
      ApiResource logtoResource = ensureResource(session, desired);
      status.setScopeIds(ensureScopes(session, logtoResource.id(), desired));
      status.setAppliedHash(hash);
      reportDriftCorrected(session, drifted);
    }
    ensureConfigMap(session, desired, cachedConfigMap);
    return Outcome.synced("API resource " + desired.indicator() + " is in Logto with "
        + desired.scopes().size() + " scope(s)");
  }

  private ApiResource ensureResource(
      SyncSession<LogtoApiResource, LogtoApiResourceStatus> session,
      DesiredApiResource desired) {
    LogtoApiResourceStatus status = session.status();
    if (status.getResourceId() != null) {
      Optional<ApiResource> existing =
          NotFound.asEmpty(() -> session.logto().getApiResource(status.getResourceId()));
      if (existing.isPresent()) {
        return updateIfChanged(session, existing.get(), desired);
      }
      services.events().warning(session.resource(), "Recreating",
          "API resource " + status.getResourceId() + " was deleted in Logto; creating it again");
      LOG.info("{} {}/{}: API resource {} deleted in Logto, recreating", KIND,
          session.namespace(), session.name(), status.getResourceId());
      status.setResourceId(null);
      status.setScopeIds(Map.of());
      return create(session, desired);
    }
    Optional<ApiResource> found = session.logto().findApiResourceByIndicator(desired.indicator());
    if (found.isPresent()) {
      boolean mayBeOurs = desired.indicator().equals(status.getPendingCreate());
      Optional<LogtoApiResource> owner = indicatorOwners.owner(session.resource(), mayBeOurs,
          desired.indicator(), found.get().id());
      if (owner.isEmpty()) {
        throw SyncFailure.conflict(INDICATOR_FIELD + ": an API resource with indicator "
            + desired.indicator() + " already exists in Logto (id " + found.get().id()
            + ") and no LogtoApiResource owns it; it is left untouched");
      }
      if (owner.get() != session.resource()) {
        // Not ours after all: a deletion of this object must not remove it by that key.
        status.setPendingCreate(null);
        throw ownedBySibling(owner.get(), desired);
      }
      // Our own create from an attempt that ended before its id was recorded.
      status.setResourceId(found.get().id());
      status.setPendingCreate(null);
      return updateIfChanged(session, found.get(), desired);
    }
    return create(session, desired);
  }

  private ApiResource create(
      SyncSession<LogtoApiResource, LogtoApiResourceStatus> session, DesiredApiResource desired) {
    LogtoApiResourceStatus status = session.status();
    if (!desired.indicator().equals(status.getPendingCreate())) {
      status.setPendingCreate(desired.indicator());
      session.persist();
    }
    ApiResource created;
    try {
      created =
          session.logto().createApiResource(
              new NewApiResource(desired.name(), desired.indicator(), desired.accessTokenTtl()));
    } catch (LogtoException e) {
      if (e.isConflict()) {
        status.setPendingCreate(null);
        throw createdMeanwhile(session, desired);
      }
      throw e;
    }
    status.setResourceId(created.id());
    status.setPendingCreate(null);
    LOG.info("{} {}/{}: created API resource {} ({})", KIND, session.namespace(), session.name(),
        created.id(), desired.indicator());
    services.events().normal(session.resource(), "Created",
        "Created API resource " + desired.indicator() + " in Logto (id " + created.id() + ")");
    return created;
  }

  /** Logto refused our create: another object has the indicator since we looked. */
  private SyncFailure createdMeanwhile(
      SyncSession<LogtoApiResource, LogtoApiResourceStatus> session, DesiredApiResource desired) {
    String id = session.logto().findApiResourceByIndicator(desired.indicator())
        .map(ApiResource::id).orElse(null);
    return indicatorOwners.owner(session.resource(), false, desired.indicator(), id)
        .map(owner -> ownedBySibling(owner, desired))
        .orElseGet(() -> SyncFailure.conflict(INDICATOR_FIELD + ": an API resource with"
            + " indicator " + desired.indicator() + " was created in Logto meanwhile by someone"
            + " else (no LogtoApiResource owns it); it is left untouched"));
  }

  private static SyncFailure ownedBySibling(LogtoApiResource owner, DesiredApiResource desired) {
    return SyncFailure.conflictWithSibling(INDICATOR_FIELD + ": " + ObjectNames.of(owner)
        + " owns " + desired.indicator() + "; it is left untouched (choose another indicator)");
  }

  private ApiResource updateIfChanged(
      SyncSession<LogtoApiResource, LogtoApiResourceStatus> session,
      ApiResource existing,
      DesiredApiResource desired) {
    if (!existing.indicator().equals(desired.indicator())) {
      throw SyncFailure.invalidSpec("spec.indicator: indicators are immutable; this object owns "
          + existing.indicator() + " in Logto. Delete the object and create a new one to change"
          + " it");
    }
    String newName = desired.name().equals(existing.name()) ? null : desired.name();
    Integer newTtl =
        desired.accessTokenTtl() == null
                || desired.accessTokenTtl().equals(existing.accessTokenTtl())
            ? null
            : desired.accessTokenTtl();
    if (newName == null && newTtl == null) {
      return existing;
    }
    ApiResource updated =
        session.logto().updateApiResource(existing.id(), new ApiResourceUpdate(newName, newTtl));
    LOG.info("{} {}/{}: updated API resource {}", KIND, session.namespace(), session.name(),
        existing.id());
    services.events().normal(session.resource(), "Updated",
        "Updated API resource " + desired.indicator() + " in Logto (name, access token TTL)");
    return updated;
  }

  private Map<String, String> ensureScopes(
      SyncSession<LogtoApiResource, LogtoApiResourceStatus> session,
      String resourceId,
      DesiredApiResource desired) {
    Map<String, Scope> existing =
        session.logto().listScopes(resourceId).stream()
            .collect(Collectors.toMap(Scope::name, Function.identity(), (a, b) -> a));
    Map<String, String> ids = new TreeMap<>();
    List<String> changes = new ArrayList<>();
    for (var entry : desired.scopes().entrySet()) {
      Scope scope = existing.get(entry.getKey());
      if (scope == null) {
        Scope created =
            session.logto().createScope(resourceId, entry.getKey(), entry.getValue());
        ids.put(entry.getKey(), created.id());
        changes.add("+" + entry.getKey());
      } else {
        if (!Objects.equals(scope.description(), entry.getValue())) {
          session.logto().updateScope(resourceId, scope.id(), null, entry.getValue());
          changes.add("~" + entry.getKey());
        }
        ids.put(entry.getKey(), scope.id());
      }
    }
    for (Scope scope : existing.values()) {
      if (!desired.scopes().containsKey(scope.name())) {
        session.logto().deleteScope(resourceId, scope.id());
        changes.add("-" + scope.name());
      }
    }
    if (!changes.isEmpty()) {
      LOG.info("{} {}/{}: scopes of {} changed: {}", KIND, session.namespace(), session.name(),
          desired.indicator(), changes);
      services.events().normal(session.resource(), "ScopesUpdated",
          "Scopes of " + desired.indicator() + " changed in Logto: " + String.join(" ", changes));
    }
    return ids;
  }

  /**
   * Before creating anything in Logto, make sure this object may write the ConfigMap it names:
   * no one else's exists, and no other LogtoApiResource naming it goes first. Not needed once its
   * own ConfigMap of that name is in the cache.
   */
  private void claimConfigMapName(
      SyncSession<LogtoApiResource, LogtoApiResourceStatus> session, DesiredApiResource desired) {
    writer.checkNotTaken(ConfigMap.class, session.resource(), session.namespace(),
        desired.configMapName(), CONFIG_MAP_FIELD);
    configMapNames.claim(session.resource(), desired.configMapName()).ifPresent(winner -> {
      throw SyncFailure.conflictWithSibling(CONFIG_MAP_FIELD + ": " + ObjectNames.of(winner)
          + " owns ConfigMap " + desired.configMapName()
          + "; it is left untouched (choose another name)");
    });
  }

  /** This object's ConfigMap of that name, from the informer's cache (ours, by owner). */
  private static Optional<ConfigMap> cachedConfigMap(
      SyncSession<LogtoApiResource, LogtoApiResourceStatus> session, String name) {
    return session.context().getSecondaryResources(ConfigMap.class).stream()
        .filter(c -> c.getMetadata().getName().equals(name))
        .findFirst();
  }

  private void ensureConfigMap(
      SyncSession<LogtoApiResource, LogtoApiResourceStatus> session, DesiredApiResource desired,
      Optional<ConfigMap> cached) {
    LogtoApiResource resource = session.resource();
    LogtoApiResourceStatus status = session.status();
    String previous = status.getConfigMapName();
    if (previous != null && !previous.equals(desired.configMapName())) {
      writer.deleteIfOwned(ConfigMap.class, resource, session.namespace(), previous);
      configMapNames.wakeWaitingFor(resource, previous);
    }
    writer.ensure(
        resource,
        ApiConfigMaps.desired(resource, desired, session.tenant().connection()),
        cached,
        ApiConfigMaps::sameContent,
        CONFIG_MAP_FIELD);
    status.setConfigMapName(desired.configMapName());
  }


  @Override
  protected DeleteOutcome remove(SyncSession<LogtoApiResource, LogtoApiResourceStatus> session) {
    DeleteOutcome outcome = removeFromLogto(session);
    if (outcome.done()) {
      LogtoApiResource resource = session.resource();
      configMapNames.release(resource, session.status().getConfigMapName(),
          configMapNameOf(resource));
      indicatorOwners.wakeWaitingFor(resource, indicatorOf(resource));
    }
    return outcome;
  }

  @Override
  protected void removeWithoutLogto(
      SyncSession<LogtoApiResource, LogtoApiResourceStatus> session) {
    LogtoApiResource resource = session.resource();
    writer.deleteIfOwned(ConfigMap.class, resource, session.namespace(),
        session.status().getConfigMapName());
    configMapNames.release(resource, session.status().getConfigMapName(),
        configMapNameOf(resource));
    indicatorOwners.wakeWaitingFor(resource, indicatorOf(resource));
  }

  private DeleteOutcome removeFromLogto(
      SyncSession<LogtoApiResource, LogtoApiResourceStatus> session) {
    LogtoApiResource resource = session.resource();
    LogtoApiResourceStatus status = session.status();
    writer.deleteIfOwned(ConfigMap.class, resource, session.namespace(),
        status.getConfigMapName());
    if (retainsOnDeletion(resource)) {
      services.events().normal(resource, "Retained",
          "Left API resource " + status.getResourceId() + " in Logto (deletionPolicy Retain)");
      return DeleteOutcome.removed();
    }
    List<String> users = referencingRoles(resource);
    if (!users.isEmpty()) {
      return DeleteOutcome.blockedBy("still used by LogtoRole " + String.join(", ", users)
          + "; remove the permission from those roles first");
    }
    String id = status.getResourceId();
    String pending = status.getPendingCreate();
    if (id == null && pending != null) {
      id = session.logto().findApiResourceByIndicator(pending).map(ApiResource::id)
          .filter(found -> indicatorOwners.owner(resource, true, pending, found)
              .filter(owner -> owner == resource).isPresent())
          .orElse(null);
    }
    if (id != null) {
      String doomed = id;
      NotFound.ignore(() -> session.logto().deleteApiResource(doomed));
      LOG.info("{} {}/{}: deleted API resource {}", KIND, session.namespace(), session.name(), id);
      services.events().normal(resource, "Deleted", "Deleted API resource " + id + " from Logto");
    }
    return DeleteOutcome.removed();
  }

  private static String indicatorOf(LogtoApiResource resource) {
    return resource.getSpec() == null ? null : resource.getSpec().getIndicator();
  }

  private static boolean retainsOnDeletion(LogtoApiResource resource) {
    return resource.getSpec() != null
        && resource.getSpec().getDeletionPolicy() == DeletionPolicy.Retain;
  }

  /** The ConfigMap name of a valid spec; an invalid one claims nothing. */
  private static String configMapNameOf(LogtoApiResource resource) {
    try {
      return DesiredApiResource.of(resource).configMapName();
    } catch (SyncFailure invalid) {
      return null;
    }
  }

  /**
   * Whether status shows that the object holds the ConfigMap name: it wrote it, or its API
   * resource is being or was created and the ConfigMap is not written yet.
   */
  private static boolean holdsConfigMap(LogtoApiResource resource, String name) {
    LogtoApiResourceStatus status = resource.getStatus();
    return status != null
        && (name.equals(status.getConfigMapName())
            || status.getPendingCreate() != null
            || (status.getResourceId() != null && status.getConfigMapName() == null));
  }

  private List<String> referencingRoles(LogtoApiResource resource) {
    if (roles == null) {
      return List.of();
    }
    String name = resource.getMetadata().getName();
    return roles.list(resource.getMetadata().getNamespace())
        .filter(r -> r.getMetadata().getDeletionTimestamp() == null)
        .filter(r -> RoleReferences.resourceNames(r).contains(name))
        .map(r -> r.getMetadata().getName())
        .sorted()
        .toList();
  }
}
