package io.logto.operator.reconciler.role;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.common.DeletionPolicy;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.crd.role.LogtoRoleStatus;
import io.logto.operator.logto.LogtoException;
import io.logto.operator.logto.LogtoApi;
import io.logto.operator.logto.model.ApiResource;
import io.logto.operator.logto.model.NewRole;
import io.logto.operator.logto.model.Role;
import io.logto.operator.logto.model.RoleUpdate;
import io.logto.operator.logto.model.Scope;
import io.logto.operator.reconciler.app.AppReferences;
import io.logto.operator.reconciler.common.ConnectionLabels;
import io.logto.operator.reconciler.common.SameConnection;
import io.logto.operator.reconciler.common.Conditions;
import io.logto.operator.reconciler.common.DesiredStateHash;
import io.logto.operator.reconciler.common.LogtoKeyOwners;
import io.logto.operator.reconciler.common.LogtoObjectReconciler;
import io.logto.operator.reconciler.common.NotFound;
import io.logto.operator.reconciler.common.ObjectNames;
import io.logto.operator.reconciler.common.OperatorServices;
import io.logto.operator.reconciler.common.Outcome;
import io.logto.operator.reconciler.common.ReconcileTrigger;
import io.logto.operator.reconciler.common.ReferenceIndex;
import io.logto.operator.reconciler.common.SyncFailure;
import io.logto.operator.reconciler.common.SyncSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reconciles a LogtoRole into a MachineToMachine role in Logto holding the named scopes. */
public final class RoleReconciler extends LogtoObjectReconciler<LogtoRole, LogtoRoleStatus> {

  /** Logto's own role holding the Management API's "all", seeded in every tenant. */
  static final String BUILT_IN_MANAGEMENT_ROLE = "Logto Management API access";
  public static final String KIND = "LogtoRole";
  private static final Logger LOG = LoggerFactory.getLogger(RoleReconciler.class);
  private static final String BY_RESOURCE = "byResourceRef";
  private static final String NAME_FIELD = "spec.name";

  private final ReconcileTrigger<LogtoRole> trigger = new ReconcileTrigger<>();
  private final LogtoKeyOwners<LogtoRole> nameOwners =
      new LogtoKeyOwners<>("byRoleName", RoleReconciler::roleNameOf,
          r -> r.getStatus() == null ? null : r.getStatus().getRoleId(),
          r -> r.getStatus() == null ? null : r.getStatus().getPendingCreate(),
          RoleReconciler::retainsOnDeletion, ConnectionLabels::tenantOf, trigger);
  private InformerEventSource<LogtoApiResource, LogtoRole> resources;
  private InformerEventSource<LogtoM2MApp, LogtoRole> apps;

  public RoleReconciler(OperatorServices services) {
    super(services, LogtoRoleStatus.class);
  }

  @Override
  protected String kind() {
    return KIND;
  }

  @Override
  public ReconcileTrigger<LogtoRole> trigger() {
    return trigger;
  }

  @Override
  public List<EventSource<?, LogtoRole>> prepareEventSources(
      EventSourceContext<LogtoRole> context) {
    indexByConnection(context);
    ReferenceIndex.register(context.getPrimaryCache(), BY_RESOURCE, RoleReferences::resourceNames);
    nameOwners.register(context.getPrimaryCache());
    resources =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(LogtoApiResource.class, LogtoRole.class)
                .withSecondaryToPrimaryMapper(
                    ReferenceIndex.mapper(context.getPrimaryCache(), BY_RESOURCE))
                .build(),
            context);
    // Apps are watched so that a deletion blocked by a referencing app resumes when it goes.
    apps =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(LogtoM2MApp.class, LogtoRole.class)
                .withSecondaryToPrimaryMapper(
                    app ->
                        AppReferences.roleNames(app).stream()
                            .map(n -> new ResourceID(n, app.getMetadata().getNamespace()))
                            .collect(Collectors.toSet()))
                .build(),
            context);
    return List.of(resources, apps, trigger);
  }

  @Override
  protected Outcome sync(SyncSession<LogtoRole, LogtoRoleStatus> session) {
    DesiredRole desired = DesiredRole.of(session.resource());
    guardPrivileges(session, desired);
    Map<String, Map<String, String>> fromRefs = resolveResourceRefs(session, desired);
    LogtoRoleStatus status = session.status();
    String hash = DesiredStateHash.of(List.of(desired, fromRefs));
    boolean drifted = services.drift().take(KIND, ResourceID.fromResource(session.resource()));
    boolean unchanged =
        !drifted
            && status.getRoleId() != null
            && hash.equals(status.getAppliedHash())
            && Objects.equals(status.getObservedGeneration(), session.generation())
            && Conditions.isTrue(status.getConditions(), Conditions.READY);
    if (unchanged) {
      return Outcome.synced(readyMessage(desired));
    }
    Map<String, Map<String, String>> grants = new TreeMap<>(fromRefs);
    grants.putAll(resolveIndicators(session.logto(), desired));
    Set<String> scopeIds = new TreeSet<>();
    grants.values().forEach(m -> scopeIds.addAll(m.values()));

    try {
      Optional<List<Scope>> current = ensureRole(session, desired, scopeIds);
      current.ifPresent(scopes -> ensureScopes(session, scopes, scopeIds));
    } catch (LogtoException e) {
      if (!e.isNotFound() || fromRefs.isEmpty()) {
        throw e;
      }
      // Scope ids read from the LogtoApiResources' status, gone from Logto (a tenant wiped,
      // say): their own reconciles recreate them, and their new status wakes this role.
      throw SyncFailure.waitingFor("scopes that LogtoApiResources " + String.join(", ",
          desired.permissions().stream().map(DesiredRole.Permission::resourceRef)
              .filter(Objects::nonNull).distinct().sorted().toList())
          + " recorded no longer exist in Logto; waiting for them to be recreated");
    }
    Map<String, List<String>> grantedNames = new TreeMap<>();
    grants.forEach((indicator, scopes) ->
        grantedNames.put(indicator, new ArrayList<>(new TreeSet<>(scopes.keySet()))));
    status.setGrants(grantedNames);
    status.setAppliedHash(hash);
    reportDriftCorrected(session, drifted);
    return Outcome.synced(readyMessage(desired));
  }

  private static String readyMessage(DesiredRole desired) {
    return "role '" + desired.name() + "' is in Logto";
  }

  private void guardPrivileges(SyncSession<LogtoRole, LogtoRoleStatus> session,
      DesiredRole desired) {
    if (session.tenant().isPrivileged(session.namespace())) {
      return;
    }
    for (int i = 0; i < desired.permissions().size(); i++) {
      String indicator = desired.permissions().get(i).indicator();
      if (indicator != null) {
        String what = indicator.equals(session.tenant().managementApiResource())
            ? "grants scopes of the Logto Management API"
            : "references API resource " + indicator + " that is not managed by a LogtoApiResource";
        String why = "namespace " + session.namespace() + " is not in "
            + session.tenant().privilegedBy();
        throw SyncFailure.forbidden("spec.permissions[" + i + "].indicator " + what + "; "
            + why + revokePrivilegedScopes(session, desired, why));
      }
    }
  }

  /**
   * The role lost the right to its privileged permissions (its namespace left the privileged
   * list): their scopes are taken off the role in Logto, so that no app holding it keeps them.
   * Only a role that is this object's by status and by name, and never Logto's built-in
   * Management API role, whatever a status (writable by others) names.
   *
   * @return what the role holds now, for the status message: the same whether this reconcile
   *     took the scopes off or an earlier one did ("" when the role is not this object's)
   */
  private String revokePrivilegedScopes(SyncSession<LogtoRole, LogtoRoleStatus> session,
      DesiredRole desired, String why) {
    String roleId = session.status().getRoleId();
    if (roleId == null) {
      return "";
    }
    Optional<Role> role = NotFound.asEmpty(() -> session.logto().getRole(roleId));
    if (role.isEmpty() || !revocable(role.get(), desired)) {
      return "";
    }
    Set<String> privileged = desired.permissions().stream()
        .map(DesiredRole.Permission::indicator).filter(Objects::nonNull)
        .collect(Collectors.toSet());
    List<Scope> revoked = session.logto().listRoleScopes(roleId).stream()
        .filter(scope -> privileged.contains(indicatorOf(session.logto(), scope))).toList();
    for (Scope scope : revoked) {
      NotFound.ignore(() -> session.logto().removeRoleScope(roleId, scope.id()));
    }
    if (!revoked.isEmpty()) {
      String names = revoked.stream().map(s -> indicatorOf(session.logto(), s) + " " + s.name())
          .sorted().collect(Collectors.joining(", "));
      LOG.info("{} {}/{}: removed {} from role {}: {}", KIND, session.namespace(),
          session.name(), names, roleId, why);
      services.events().warning(session.resource(), "PrivilegeRevoked", "Removed " + names
          + " from role " + roleId + " in Logto: " + why);
    }
    return "; role " + roleId + " holds none of their scopes in Logto";
  }

  /** Whether the operator may take scopes off this role on this object's behalf. */
  private static boolean revocable(Role role, DesiredRole desired) {
    return desired.name().equals(role.name()) && !BUILT_IN_MANAGEMENT_ROLE.equals(role.name());
  }

  private static String indicatorOf(LogtoApi logto, Scope scope) {
    return scope.resource() != null ? scope.resource().indicator()
        : logto.getApiResource(scope.resourceId()).indicator();
  }

  /** Scope ids by scope name, per indicator, for permissions naming a LogtoApiResource. */
  private Map<String, Map<String, String>> resolveResourceRefs(
      SyncSession<LogtoRole, LogtoRoleStatus> session, DesiredRole desired) {
    Map<String, Map<String, String>> result = new TreeMap<>();
    for (DesiredRole.Permission permission : desired.permissions()) {
      if (permission.resourceRef() == null) {
        continue;
      }
      String ref = permission.resourceRef();
      String named =
          ObjectNames.of(HasMetadata.getKind(LogtoApiResource.class), session.namespace(), ref);
      LogtoApiResource resource =
          resources.get(new ResourceID(ref, session.namespace()))
              .orElseThrow(() -> SyncFailure.waitingFor(named + " does not exist"));
      SameConnection.check("spec.permissions: resourceRef " + ref, session.resource(), named,
          resource);
      var rs = resource.getStatus();
      boolean ready =
          rs != null
              && rs.getResourceId() != null
              && Conditions.isTrue(rs.getConditions(), Conditions.READY)
              && Objects.equals(rs.getObservedGeneration(), resource.getMetadata().getGeneration());
      if (!ready) {
        throw SyncFailure.waitingFor(named + " is not ready");
      }
      Map<String, String> ids = new TreeMap<>();
      for (String scope : permission.scopes()) {
        String id = rs.getScopeIds().get(scope);
        if (id == null) {
          throw SyncFailure.waitingFor("scope '" + scope + "' is not declared by " + named);
        }
        ids.put(scope, id);
      }
      result.merge(resource.getSpec().getIndicator(), ids, (a, b) -> {
        Map<String, String> merged = new TreeMap<>(a);
        merged.putAll(b);
        return merged;
      });
    }
    return result;
  }

  /** Scope ids for permissions naming an API resource by indicator: looked up in Logto. */
  private static Map<String, Map<String, String>> resolveIndicators(LogtoApi logto,
      DesiredRole desired) {
    Map<String, Map<String, String>> result = new LinkedHashMap<>();
    for (DesiredRole.Permission permission : desired.permissions()) {
      if (permission.indicator() == null) {
        continue;
      }
      ApiResource resource =
          logto.findApiResourceByIndicator(permission.indicator())
              .orElseThrow(() -> SyncFailure.waitingFor(
                  "API resource " + permission.indicator() + " does not exist in Logto"));
      List<Scope> scopes =
          resource.scopes() != null ? resource.scopes() : logto.listScopes(resource.id());
      Map<String, String> byName =
          scopes.stream().collect(Collectors.toMap(Scope::name, Scope::id, (a, b) -> a));
      Map<String, String> ids = new TreeMap<>();
      for (String scope : permission.scopes()) {
        String id = byName.get(scope);
        if (id == null) {
          throw SyncFailure.waitingFor(
              "API resource " + permission.indicator() + " has no scope '" + scope + "' in Logto");
        }
        ids.put(scope, id);
      }
      result.put(permission.indicator(), ids);
    }
    return result;
  }

  /**
   * Makes the role exist with the desired name and description.
   *
   * @return the scopes an existing role holds now, or empty when it was just created with the
   *     desired ones
   */
  private Optional<List<Scope>> ensureRole(
      SyncSession<LogtoRole, LogtoRoleStatus> session, DesiredRole desired, Set<String> scopeIds) {
    LogtoRoleStatus status = session.status();
    if (status.getRoleId() != null) {
      Optional<Role> existing =
          NotFound.asEmpty(() -> session.logto().getRole(status.getRoleId()));
      if (existing.isPresent()) {
        List<Scope> scopes = session.logto().listRoleScopes(existing.get().id());
        guardRecordedRole(session, desired, existing.get(), scopes);
        updateIfChanged(session, existing.get(), desired);
        return Optional.of(scopes);
      }
      services.events().warning(session.resource(), "Recreating",
          "role " + status.getRoleId() + " was deleted in Logto; creating it again");
      LOG.info("{} {}/{}: role {} deleted in Logto, recreating", KIND, session.namespace(),
          session.name(), status.getRoleId());
      status.setRoleId(null);
      create(session, desired, scopeIds);
      return Optional.empty();
    }
    Optional<Role> found = session.logto().findRoleByName(desired.name());
    if (found.isPresent()) {
      boolean mayBeOurs = desired.name().equals(status.getPendingCreate());
      Optional<LogtoRole> owner =
          nameOwners.owner(session.resource(), mayBeOurs, desired.name(), found.get().id());
      if (owner.isEmpty()) {
        throw SyncFailure.conflict(NAME_FIELD + ": a role named '" + desired.name()
            + "' already exists in Logto (id " + found.get().id()
            + ") and no LogtoRole owns it; it is left untouched");
      }
      if (owner.get() != session.resource()) {
        // Not ours after all: a deletion of this object must not remove it by that name.
        status.setPendingCreate(null);
        throw ownedBySibling(owner.get(), desired.name());
      }
      // Our own create from an attempt that ended before its id was recorded.
      status.setRoleId(found.get().id());
      status.setPendingCreate(null);
      updateIfChanged(session, found.get(), desired);
      return Optional.of(session.logto().listRoleScopes(found.get().id()));
    }
    create(session, desired, scopeIds);
    return Optional.empty();
  }

  /**
   * The role id in status is trusted to rename and re-permission a role, so that drift can be
   * corrected. Status is writable by whoever may write the status subresource: outside the
   * privileged namespaces, a recorded role that holds Management API scopes is never touched.
   */
  private void guardRecordedRole(SyncSession<LogtoRole, LogtoRoleStatus> session,
      DesiredRole desired, Role role, List<Scope> scopes) {
    if (session.tenant().isPrivileged(session.namespace())) {
      return;
    }
    boolean management =
        scopes.stream()
            .anyMatch(s -> s.resource() != null
                && session.tenant().managementApiResource().equals(s.resource().indicator()));
    if (management && !revocable(role, desired)) {
      throw SyncFailure.forbidden("role " + role.id() + " recorded in status grants Logto"
          + " Management API scopes; only privileged namespaces may manage such a role");
    }
    // This object's own role, privileged while its namespace was: the sync takes the scopes
    // the spec may no longer grant off it.
  }

  private void create(
      SyncSession<LogtoRole, LogtoRoleStatus> session, DesiredRole desired, Set<String> scopeIds) {
    LogtoRoleStatus status = session.status();
    if (!desired.name().equals(status.getPendingCreate())) {
      status.setPendingCreate(desired.name());
      session.persist();
    }
    Role created;
    try {
      created =
          session.logto().createRole(
              new NewRole(desired.name(), desired.description(), List.copyOf(scopeIds)));
    } catch (LogtoException e) {
      if (e.isConflict()) {
        status.setPendingCreate(null);
        throw nameTaken(session, desired.name(), "a role named '" + desired.name()
            + "' was created in Logto meanwhile by someone else (no LogtoRole owns it); it is"
            + " left untouched");
      }
      throw e;
    }
    status.setRoleId(created.id());
    status.setPendingCreate(null);
    LOG.info("{} {}/{}: created role {} ({})", KIND, session.namespace(), session.name(),
        created.id(), desired.name());
    services.events().normal(session.resource(), "Created",
        "Created role '" + desired.name() + "' in Logto (id " + created.id() + ") with "
            + scopeIds.size() + " scope(s)");
  }

  private void updateIfChanged(
      SyncSession<LogtoRole, LogtoRoleStatus> session,
      Role existing,
      DesiredRole desired) {
    String newName = desired.name().equals(existing.name()) ? null : desired.name();
    String newDescription =
        desired.description().equals(existing.description()) ? null : desired.description();
    if (newName == null && newDescription == null) {
      return;
    }
    try {
      session.logto().updateRole(existing.id(), new RoleUpdate(newName, newDescription));
    } catch (LogtoException e) {
      if (e.isConflict()) {
        throw nameTaken(session, desired.name(), "cannot rename role " + existing.id() + " to '"
            + desired.name() + "': another Logto role has that name, and no LogtoRole owns it");
      }
      throw e;
    }
    if (newName != null) {
      nameOwners.wakeWaitingFor(session.resource(), existing.name());
    }
    LOG.info("{} {}/{}: updated role {}", KIND, session.namespace(), session.name(),
        existing.id());
    services.events().normal(session.resource(), "Updated",
        "Updated role " + existing.id() + " in Logto (name, description)");
  }

  /**
   * Logto refused the name: says which LogtoRole has it, or {@code outside} when none does. The
   * role is looked up again, since the one that has the name appeared after we looked.
   */
  private SyncFailure nameTaken(
      SyncSession<LogtoRole, LogtoRoleStatus> session, String name, String outside) {
    String id = session.logto().findRoleByName(name).map(Role::id).orElse(null);
    return nameOwners.owner(session.resource(), false, name, id)
        .map(owner -> ownedBySibling(owner, name))
        .orElseGet(() -> SyncFailure.conflict(NAME_FIELD + ": " + outside));
  }

  private static SyncFailure ownedBySibling(LogtoRole owner, String name) {
    return SyncFailure.conflictWithSibling(NAME_FIELD + ": " + ObjectNames.of(owner)
        + " owns role '" + name + "'; it is left untouched (choose another name)");
  }

  private void ensureScopes(
      SyncSession<LogtoRole, LogtoRoleStatus> session, List<Scope> held, Set<String> wanted) {
    String roleId = session.status().getRoleId();
    Set<String> current =
        held.stream()
            .map(Scope::id)
            .collect(Collectors.toCollection(TreeSet::new));
    List<String> missing = wanted.stream().filter(id -> !current.contains(id)).toList();
    List<String> extra = current.stream().filter(id -> !wanted.contains(id)).toList();
    if (!missing.isEmpty()) {
      session.logto().addRoleScopes(roleId, missing);
    }
    for (String scopeId : extra) {
      NotFound.ignore(() -> session.logto().removeRoleScope(roleId, scopeId));
    }
    if (!missing.isEmpty() || !extra.isEmpty()) {
      LOG.info("{} {}/{}: permissions of role {} changed: +{} -{}", KIND, session.namespace(),
          session.name(), roleId, missing.size(), extra.size());
      services.events().normal(session.resource(), "PermissionsUpdated",
          "Permissions of role " + roleId + " changed in Logto: " + missing.size() + " added, "
              + extra.size() + " removed");
    }
  }


  @Override
  protected DeleteOutcome remove(SyncSession<LogtoRole, LogtoRoleStatus> session) {
    DeleteOutcome outcome = removeFromLogto(session);
    if (outcome.done()) {
      nameOwners.wakeWaitingFor(session.resource(), roleNameOf(session.resource()));
    }
    return outcome;
  }

  private DeleteOutcome removeFromLogto(SyncSession<LogtoRole, LogtoRoleStatus> session) {
    LogtoRole role = session.resource();
    LogtoRoleStatus status = session.status();
    if (retainsOnDeletion(role)) {
      services.events().normal(role, "Retained",
          "Left role " + status.getRoleId() + " in Logto (deletionPolicy Retain)");
      return DeleteOutcome.removed();
    }
    List<String> users = referencingApps(role);
    if (!users.isEmpty()) {
      return DeleteOutcome.blockedBy("still used by LogtoM2MApp " + String.join(", ", users)
          + "; remove the role from those apps first");
    }
    String id = status.getRoleId();
    String pending = status.getPendingCreate();
    if (id == null && pending != null) {
      id = session.logto().findRoleByName(pending).map(Role::id)
          .filter(found -> nameOwners.owner(role, true, pending, found)
              .filter(owner -> owner == role).isPresent())
          .orElse(null);
    }
    if (id != null) {
      String doomed = id;
      NotFound.ignore(() -> session.logto().deleteRole(doomed));
      LOG.info("{} {}/{}: deleted role {}", KIND, session.namespace(), session.name(), id);
      services.events().normal(role, "Deleted", "Deleted role " + id + " from Logto");
    }
    return DeleteOutcome.removed();
  }

  /** The Logto role name the spec asks for: spec.name, or metadata.name by default. */
  private static String roleNameOf(LogtoRole role) {
    return role.getSpec() != null && role.getSpec().getName() != null
        ? role.getSpec().getName()
        : role.getMetadata().getName();
  }

  private static boolean retainsOnDeletion(LogtoRole role) {
    return role.getSpec() != null && role.getSpec().getDeletionPolicy() == DeletionPolicy.Retain;
  }

  private List<String> referencingApps(LogtoRole role) {
    if (apps == null) {
      return List.of();
    }
    String name = role.getMetadata().getName();
    return apps.list(role.getMetadata().getNamespace())
        .filter(a -> a.getMetadata().getDeletionTimestamp() == null)
        .filter(a -> AppReferences.roleNames(a).contains(name))
        .map(a -> a.getMetadata().getName())
        .sorted()
        .toList();
  }
}
