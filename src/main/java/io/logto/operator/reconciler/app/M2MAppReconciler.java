package io.logto.operator.reconciler.app;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.app.LogtoM2MAppStatus;
import io.logto.operator.crd.common.DeletionPolicy;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.logto.LogtoApi;
import io.logto.operator.logto.LogtoException;
import io.logto.operator.logto.model.Application;
import io.logto.operator.logto.model.ApplicationUpdate;
import io.logto.operator.logto.model.NewApplication;
import io.logto.operator.logto.model.Role;
import io.logto.operator.logto.model.Scope;
import io.logto.operator.reconciler.common.Conditions;
import io.logto.operator.reconciler.common.DesiredStateHash;
import io.logto.operator.reconciler.common.LogtoObjectReconciler;
import io.logto.operator.reconciler.common.NameClaims;
import io.logto.operator.reconciler.common.NotFound;
import io.logto.operator.reconciler.common.ObjectNames;
import io.logto.operator.reconciler.common.OperatorServices;
import io.logto.operator.reconciler.common.Outcome;
import io.logto.operator.reconciler.common.OwnedObjectWriter;
import io.logto.operator.reconciler.common.ReconcileTrigger;
import io.logto.operator.reconciler.common.ReferenceIndex;
import io.logto.operator.reconciler.common.SameConnection;
import io.logto.operator.reconciler.common.SyncFailure;
import io.logto.operator.reconciler.common.SyncSession;
import java.time.Instant;
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

/**
 * Reconciles a LogtoM2MApp: the M2M application in Logto, its role assignments, the Secret with
 * its credentials, and the CredentialsVerified check.
 */
public final class M2MAppReconciler extends LogtoObjectReconciler<LogtoM2MApp, LogtoM2MAppStatus> {

  public static final String KIND = "LogtoM2MApp";
  private static final Logger LOG = LoggerFactory.getLogger(M2MAppReconciler.class);
  private static final String BY_ROLE = "byRoleRef";
  private static final String SECRET_FIELD = "spec.secret.name";

  private final OwnedObjectWriter writer;
  private final CredentialsVerifier verifier;
  private final CredentialRotation rotation;
  private final ReconcileTrigger<LogtoM2MApp> trigger = new ReconcileTrigger<>();
  private final NameClaims<LogtoM2MApp> secretNames =
      new NameClaims<>("bySecretName", M2MAppReconciler::secretNameOf,
          M2MAppReconciler::holdsSecret, trigger);
  private InformerEventSource<LogtoRole, LogtoM2MApp> roles;

  public M2MAppReconciler(OperatorServices services, OwnedObjectWriter writer,
      WorkloadRestarter restarter) {
    super(services, LogtoM2MAppStatus.class);
    this.writer = writer;
    // A Conflict with a Secret or ConfigMap of someone else clears once it is deleted.
    writer.wakeOwnersOfKind(KIND, trigger::trigger);
    this.verifier = new CredentialsVerifier();
    this.rotation = new CredentialRotation(services, restarter);
  }

  @Override
  protected String kind() {
    return KIND;
  }

  /**
   * Which updates of a LogtoM2MApp are worth a reconcile: a new generation (spec), as for every
   * kind, and also a change of the rotation annotations, which leave the generation alone. Status
   * writes are not.
   */
  public static OnUpdateFilter<LogtoM2MApp> relevantUpdate() {
    return (updated, old) ->
        !Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
            || !Objects.equals(
                CredentialRotation.annotation(updated, CredentialRotation.ROTATE_ANNOTATION),
                CredentialRotation.annotation(old, CredentialRotation.ROTATE_ANNOTATION))
            || !Objects.equals(
                CredentialRotation.annotation(updated,
                    CredentialRotation.REVOKE_PREVIOUS_ANNOTATION),
                CredentialRotation.annotation(old, CredentialRotation.REVOKE_PREVIOUS_ANNOTATION))
            || !Objects.equals(updated.getMetadata().getFinalizers(),
                old.getMetadata().getFinalizers())
            || updated.isMarkedForDeletion();
  }

  @Override
  public ReconcileTrigger<LogtoM2MApp> trigger() {
    return trigger;
  }

  @Override
  public List<EventSource<?, LogtoM2MApp>> prepareEventSources(
      EventSourceContext<LogtoM2MApp> context) {
    indexByConnection(context);
    ReferenceIndex.register(context.getPrimaryCache(), BY_ROLE, AppReferences::roleNames);
    secretNames.register(context.getPrimaryCache());
    roles =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(LogtoRole.class, LogtoM2MApp.class)
                .withSecondaryToPrimaryMapper(
                    ReferenceIndex.mapper(context.getPrimaryCache(), BY_ROLE))
                .build(),
            context);
    var secrets =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Secret.class, LogtoM2MApp.class)
                .withLabelSelector(io.logto.operator.reconciler.common.ManagedLabels.SELECTOR)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(LogtoM2MApp.class))
                .build(),
            context);
    return List.of(roles, secrets, trigger);
  }

  /** Role ids by LogtoRole name, and the scopes those roles hold by indicator. */
  private record ResolvedRoles(
      TreeMap<String, String> idsByRef, TreeMap<String, List<String>> grants) {}

  @Override
  protected Outcome sync(SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session) {
    LogtoM2MApp app = session.resource();
    DesiredApp desired = DesiredApp.of(app);
    if (!desired.logtoRoleNames().isEmpty() && !session.tenant().isPrivileged(session.namespace())) {
      String why = "namespace " + session.namespace() + " is not in "
          + session.tenant().privilegedBy();
      throw SyncFailure.forbidden("spec.roles: logtoRoleName references roles not managed by a"
          + " LogtoRole (" + String.join(", ", desired.logtoRoleNames()) + "); " + why
          + revokeRoles(session, desired.logtoRoleNames(), why));
    }
    ResolvedRoles resolved = resolveRoleRefs(session, desired);
    LogtoM2MAppStatus status = session.status();
    String hash = DesiredStateHash.of(List.of(desired, resolved.idsByRef(), resolved.grants()));
    Optional<Secret> cachedSecret = cachedSecret(session, desired.secretName());
    boolean drifted = services.drift().take(KIND, ResourceID.fromResource(app));
    Instant now = services.clock().instant();
    boolean unchanged =
        !drifted
            && status.getAppId() != null
            && hash.equals(status.getAppliedHash())
            && Objects.equals(status.getObservedGeneration(), session.generation())
            && Conditions.isTrue(status.getConditions(), Conditions.READY)
            && Conditions.isTrue(status.getConditions(), Conditions.CREDENTIALS_VERIFIED)
            && !CredentialRotation.needsSync(app, status.getCredentials(), desired.rotation(),
                now);
    if (unchanged && restoreSecretIfNeeded(session, desired, cachedSecret)) {
      return lookAgainWhenDue(Outcome.synced(readyMessage(status)), session, desired);
    }
    if (cachedSecret.isEmpty()) {
      claimSecretName(session, desired);
    }

    boolean created = ensureApplication(session, desired);
    TreeMap<String, List<String>> grants = new TreeMap<>(resolved.grants());
    Set<String> roleIds = new TreeSet<>(resolved.idsByRef().values());
    for (String name : desired.logtoRoleNames()) {
      Role role = externalRole(session.logto(), name);
      roleIds.add(role.id());
      mergeGrants(grants, grantsOf(session.logto(), role));
    }
    try {
      ensureRoles(session, roleIds, created);
    } catch (LogtoException e) {
      if (!e.isNotFound() || resolved.idsByRef().isEmpty()) {
        throw e;
      }
      // A role id read from a LogtoRole's status, gone from Logto (a tenant wiped, say): the
      // role's own reconcile recreates it, and its new status wakes this app. The Secret gets
      // the new application's credentials meanwhile rather than keep the deleted one's.
      if (created) {
        writeSecret(session, desired, rotation.prepare(session, desired.rotation())
            .credentials(), Map.of(), cachedSecret);
      }
      throw SyncFailure.waitingFor("roles that LogtoRoles " + String.join(", ",
          resolved.idsByRef().keySet()) + " recorded no longer exist in Logto; waiting for"
          + " them to be recreated");
    }

    var verdict = rotation.run(session, desired.rotation(),
        new AppSecretSink(session, desired, grants, cachedSecret));
    status.setAppliedHash(hash);
    reportDriftCorrected(session, drifted);
    Outcome synced = Outcome.synced(readyMessage(status));
    return lookAgainWhenDue(verdict.ok() ? synced : synced.withRecheck(), session, desired);
  }

  /**
   * The app's Secret as the rotation writes it, each write starting from the one before, and the
   * CredentialsVerified condition from the tokens its credentials obtain.
   */
  private final class AppSecretSink implements CredentialRotation.CredentialsSink {
    private final SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session;
    private final DesiredApp desired;
    private final Map<String, List<String>> grants;
    private Optional<Secret> last;

    AppSecretSink(SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session, DesiredApp desired,
        Map<String, List<String>> grants, Optional<Secret> cached) {
      this.session = session;
      this.desired = desired;
      this.grants = grants;
      this.last = cached;
    }

    @Override
    public void write(CredentialsSecrets.Credentials credentials) {
      last = Optional.of(writeSecret(session, desired, credentials, grants, last));
    }

    @Override
    public CredentialsVerifier.Verdict verify(CredentialsSecrets.Credentials credentials) {
      var verdict = verifier.verify(session.logto(), credentials, grants);
      LogtoM2MAppStatus status = session.status();
      status.setConditions(Conditions.set(status.getConditions(),
          Conditions.CREDENTIALS_VERIFIED, verdict.ok(), verdict.reason(), verdict.message(),
          session.generation(), services.clock()));
      if (!verdict.ok()) {
        services.events().warning(session.resource(), verdict.reason().name(),
            verdict.message());
      }
      return verdict;
    }
  }

  /**
   * Takes back in Logto what an app may no longer hold: unassigns the named roles (all, when
   * null) from its application, which stays, with its secret, holding only what it may. Told in
   * a Warning Event.
   *
   * @return what the application holds now, for the status message: the same whether this
   *     reconcile took it back or an earlier one did ("" when there is no application yet)
   */
  private String revokeRoles(SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session,
      Set<String> roleNames, String why) {
    String appId = session.status().getAppId();
    if (appId == null) {
      return "";
    }
    List<Role> held = NotFound.asEmpty(() -> session.logto().listApplicationRoles(appId))
        .orElse(List.of());
    List<Role> revoked = held.stream()
        .filter(r -> roleNames == null || roleNames.contains(r.name())).toList();
    for (Role role : revoked) {
      NotFound.ignore(() -> session.logto().removeApplicationRole(appId, role.id()));
    }
    if (!revoked.isEmpty()) {
      String names = revoked.stream().map(r -> "'" + r.name() + "'").sorted()
          .collect(Collectors.joining(", "));
      LOG.info("{} {}/{}: unassigned {} from application {}: {}", KIND, session.namespace(),
          session.name(), names, appId, why);
      services.events().warning(session.resource(), "PrivilegeRevoked", "Unassigned role "
          + names + " from application " + appId + " in Logto: " + why);
    }
    return roleNames == null ? "; application " + appId + " holds no role in this tenant"
        : "; application " + appId + " holds none of them in Logto";
  }

  /**
   * The app's namespace may no longer use its connection: every role is taken back, so that the
   * Secret's credentials obtain no scope of that tenant any more.
   */
  @Override
  protected String revokeWhenDisallowed(SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session,
      String why) {
    return revokeRoles(session, null, why);
  }

  /** A rotation or a retirement due later: reconcile again then, without waiting for an event. */
  private Outcome lookAgainWhenDue(Outcome outcome,
      SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session, DesiredApp desired) {
    return CredentialRotation.nextCheck(session.resource(), session.status().getCredentials(),
            desired.rotation(), services.clock().instant())
        .map(outcome::lookingAgainIn)
        .orElse(outcome);
  }

  private static String readyMessage(LogtoM2MAppStatus status) {
    return "application " + status.getAppId() + " is in Logto; credentials in Secret "
        + status.getSecretName();
  }

  private ResolvedRoles resolveRoleRefs(
      SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session, DesiredApp desired) {
    TreeMap<String, String> ids = new TreeMap<>();
    TreeMap<String, List<String>> grants = new TreeMap<>();
    for (String ref : desired.roleRefs()) {
      String named = ObjectNames.of(HasMetadata.getKind(LogtoRole.class), session.namespace(), ref);
      LogtoRole role =
          roles.get(new ResourceID(ref, session.namespace()))
              .orElseThrow(() -> SyncFailure.waitingFor(named + " does not exist"));
      SameConnection.check("spec.roles: roleRef " + ref, session.resource(), named, role);
      var rs = role.getStatus();
      boolean ready =
          rs != null
              && rs.getRoleId() != null
              && Conditions.isTrue(rs.getConditions(), Conditions.READY)
              && Objects.equals(rs.getObservedGeneration(), role.getMetadata().getGeneration());
      if (!ready) {
        throw SyncFailure.waitingFor(named + " is not ready");
      }
      ids.put(ref, rs.getRoleId());
      mergeGrants(grants, rs.getGrants());
    }
    return new ResolvedRoles(ids, grants);
  }

  private static List<String> union(List<String> a, List<String> b) {
    TreeSet<String> all = new TreeSet<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  private static void mergeGrants(Map<String, List<String>> into, Map<String, List<String>> add) {
    add.forEach((indicator, scopes) -> into.merge(indicator, scopes, M2MAppReconciler::union));
  }

  private Optional<Secret> cachedSecret(
      SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session, String name) {
    return session.context().getSecondaryResources(Secret.class).stream()
        .filter(s -> s.getMetadata().getName().equals(name))
        .findFirst();
  }

  /**
   * Before creating anything in Logto, make sure this app's credentials can land: no one else's
   * Secret has the name, and no other LogtoM2MApp naming it goes first.
   */
  private void claimSecretName(
      SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session, DesiredApp desired) {
    writer.checkNotTaken(Secret.class, session.resource(), session.namespace(),
        desired.secretName(), SECRET_FIELD);
    secretNames.claim(session.resource(), desired.secretName()).ifPresent(winner -> {
      throw SyncFailure.conflictWithSibling(SECRET_FIELD + ": " + ObjectNames.of(winner)
          + " owns Secret " + desired.secretName()
          + "; it is left untouched (choose another name)");
    });
  }

  /** The Secret name of a valid spec; an invalid one claims nothing. */
  private static String secretNameOf(LogtoM2MApp app) {
    try {
      return DesiredApp.of(app).secretName();
    } catch (SyncFailure invalid) {
      return null;
    }
  }

  /**
   * Whether status shows that the app holds the Secret name: it wrote it, or its application is
   * being or was created in Logto and the credentials have not landed yet.
   */
  private static boolean holdsSecret(LogtoM2MApp app, String name) {
    LogtoM2MAppStatus status = app.getStatus();
    return status != null
        && (name.equals(status.getSecretName())
            || status.getPendingCreate() != null
            || (status.getAppId() != null && status.getSecretName() == null));
  }

  /** Makes the application exist with the desired name and description; true if just created. */
  private boolean ensureApplication(
      SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session, DesiredApp desired) {
    LogtoM2MAppStatus status = session.status();
    LogtoM2MApp app = session.resource();
    if (status.getAppId() != null) {
      Optional<Application> existing =
          NotFound.asEmpty(() -> session.logto().getApplication(status.getAppId()));
      if (existing.isPresent()) {
        if (!AppIdentity.isCreatedBy(existing.get(), app)) {
          // The id in status is trusted only for an application this object created: status is
          // writable by whoever may write the status subresource, and the id could name any app.
          throw SyncFailure.conflict("application " + status.getAppId() + " recorded in status"
              + " was not created by this LogtoM2MApp; it is left untouched");
        }
        updateIfChanged(session, existing.get(), desired);
        return false;
      }
      services.events().warning(app, "Recreating", "application " + status.getAppId()
          + " was deleted in Logto; creating it again with new credentials");
      LOG.info("{} {}/{}: application {} deleted in Logto, recreating", KIND,
          session.namespace(), session.name(), status.getAppId());
      status.setAppId(null);
      // The secrets status names were the deleted app's: the new app's are adopted afresh.
      status.setCredentials(CredentialRotation.afterRecreation());
    } else if (status.getPendingCreate() != null) {
      Optional<Application> mine =
          session.logto().listApplications().stream()
              .filter(a -> AppIdentity.isCreatedBy(a, app))
              .findFirst();
      if (mine.isPresent()) {
        status.setAppId(mine.get().id());
        status.setPendingCreate(null);
        updateIfChanged(session, mine.get(), desired);
        return false;
      }
    }
    if (status.getPendingCreate() == null) {
      status.setPendingCreate(app.getMetadata().getUid());
      session.persist();
    }
    Application created =
        session.logto().createApplication(
            new NewApplication(desired.name(), desired.description(),
                AppIdentity.customData(app)));
    status.setAppId(created.id());
    status.setPendingCreate(null);
    LOG.info("{} {}/{}: created application {}", KIND, session.namespace(), session.name(),
        created.id());
    services.events().normal(app, "Created",
        "Created M2M application '" + desired.name() + "' in Logto (id " + created.id() + ")");
    return true;
  }

  private void updateIfChanged(
      SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session,
      Application existing,
      DesiredApp desired) {
    String newName = desired.name().equals(existing.name()) ? null : desired.name();
    String wantedDescription = desired.description() == null ? "" : desired.description();
    String currentDescription = existing.description() == null ? "" : existing.description();
    String newDescription =
        wantedDescription.equals(currentDescription) ? null : wantedDescription;
    if (newName == null && newDescription == null) {
      return;
    }
    session.logto().updateApplication(existing.id(),
        new ApplicationUpdate(newName, newDescription, null));
    LOG.info("{} {}/{}: updated application {}", KIND, session.namespace(), session.name(),
        existing.id());
    services.events().normal(session.resource(), "Updated",
        "Updated application " + existing.id() + " in Logto (name, description)");
  }

  private static Role externalRole(LogtoApi logto, String name) {
    Role role =
        logto.findRoleByName(name)
            .orElseThrow(() -> SyncFailure.waitingFor(
                "role '" + name + "' does not exist in Logto"));
    if (role.type() != null && !Role.MACHINE_TO_MACHINE.equals(role.type())) {
      throw SyncFailure.invalidSpec("spec.roles: role '" + name + "' is of type " + role.type()
          + "; only MachineToMachine roles can be assigned to an M2M app");
    }
    return role;
  }

  private static Map<String, List<String>> grantsOf(LogtoApi logto, Role role) {
    Map<String, List<String>> grants = new TreeMap<>();
    for (Scope scope : logto.listRoleScopes(role.id())) {
      String indicator =
          scope.resource() != null
              ? scope.resource().indicator()
              : logto.getApiResource(scope.resourceId()).indicator();
      grants.merge(indicator, List.of(scope.name()), M2MAppReconciler::union);
    }
    return grants;
  }

  private void ensureRoles(
      SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session, Set<String> wanted, boolean created) {
    String appId = session.status().getAppId();
    if (created) {
      if (!wanted.isEmpty()) {
        session.logto().assignApplicationRoles(appId, wanted);
      }
      return;
    }
    Set<String> current =
        session.logto().listApplicationRoles(appId).stream()
            .map(Role::id)
            .collect(Collectors.toSet());
    List<String> missing = wanted.stream().filter(id -> !current.contains(id)).toList();
    List<String> extra = current.stream().filter(id -> !wanted.contains(id)).sorted().toList();
    if (!missing.isEmpty()) {
      session.logto().assignApplicationRoles(appId, missing);
    }
    for (String roleId : extra) {
      NotFound.ignore(() -> session.logto().removeApplicationRole(appId, roleId));
    }
    if (!missing.isEmpty() || !extra.isEmpty()) {
      LOG.info("{} {}/{}: roles of application {} changed: +{} -{}", KIND, session.namespace(),
          session.name(), appId, missing.size(), extra.size());
      services.events().normal(session.resource(), "RolesUpdated", "Roles of application "
          + appId + " changed in Logto: " + missing.size() + " assigned, " + extra.size()
          + " removed");
    }
  }

  /** Writes the Secret if it differs; returns it as the API server holds it. */
  private Secret writeSecret(
      SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session,
      DesiredApp desired,
      CredentialsSecrets.Credentials credentials,
      Map<String, List<String>> grants,
      Optional<Secret> cached) {
    LogtoM2MApp app = session.resource();
    LogtoM2MAppStatus status = session.status();
    String previous = status.getSecretName();
    if (previous != null && !previous.equals(desired.secretName())) {
      writer.deleteIfOwned(Secret.class, app, session.namespace(), previous);
      secretNames.wakeWaitingFor(app, previous);
    }
    Secret secret =
        CredentialsSecrets.desired(app, desired, credentials, session.tenant().connection(), grants);
    var written =
        writer.ensure(app, secret, cached, CredentialsSecrets::sameContent, SECRET_FIELD);
    status.setSecretName(desired.secretName());
    status.setGrants(grants);
    if (written.change() != OwnedObjectWriter.Change.NONE) {
      services.events().normal(app, "SecretWritten", "Wrote credentials of application "
          + credentials.appId() + " to Secret " + desired.secretName());
    }
    return written.object();
  }

  /**
   * Nothing changed in Logto, but the Secret may have been deleted or edited: restore it, from its
   * own intact credentials if possible, otherwise from the secrets status names in Logto.
   *
   * @return false when it cannot be restored that way (the secrets are gone): a full sync must
   *     replace them
   */
  private boolean restoreSecretIfNeeded(
      SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session,
      DesiredApp desired,
      Optional<Secret> cached) {
    LogtoM2MAppStatus status = session.status();
    String appId = status.getAppId();
    Map<String, List<String>> grants = status.getGrants();
    Optional<CredentialsSecrets.Credentials> intact =
        cached.flatMap(s -> CredentialsSecrets.intactCredentials(s, desired))
            .filter(c -> c.appId().equals(appId));
    if (intact.isPresent()) {
      Secret wanted = CredentialsSecrets.desired(session.resource(), desired, intact.get(),
          session.tenant().connection(), grants);
      if (CredentialsSecrets.matches(cached.get(), wanted)) {
        return true;
      }
    }
    Optional<CredentialsSecrets.Credentials> credentials =
        intact.or(() -> CredentialRotation.recorded(session.logto(), appId,
            status.getCredentials()));
    if (credentials.isEmpty()) {
      return false;
    }
    writeSecret(session, desired, credentials.get(), grants, cached);
    LOG.info("{} {}/{}: restored Secret {}", KIND, session.namespace(), session.name(),
        desired.secretName());
    services.events().normal(session.resource(), "SecretRestored",
        "Secret " + desired.secretName() + " was missing or edited; restored it");
    return true;
  }

  @Override
  protected DeleteOutcome remove(SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session) {
    DeleteOutcome outcome = removeFromLogto(session);
    if (outcome.done()) {
      secretNames.release(session.resource(), session.status().getSecretName(),
          DesiredApp.secretNameOf(session.resource()));
    }
    return outcome;
  }

  @Override
  protected void removeWithoutLogto(SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session) {
    deleteSecret(session);
    secretNames.release(session.resource(), session.status().getSecretName(),
        DesiredApp.secretNameOf(session.resource()));
  }

  private void deleteSecret(SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session) {
    LogtoM2MApp app = session.resource();
    String secretName = session.status().getSecretName();
    if (secretName == null) {
      secretName = DesiredApp.secretNameOf(app);
    }
    if (writer.deleteIfOwned(Secret.class, app, session.namespace(), secretName)) {
      services.events().normal(app, "SecretDeleted", "Deleted Secret " + secretName);
    }
  }

  private DeleteOutcome removeFromLogto(SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session) {
    LogtoM2MApp app = session.resource();
    LogtoM2MAppStatus status = session.status();
    deleteSecret(session);
    if (app.getSpec() != null && app.getSpec().getDeletionPolicy() == DeletionPolicy.Retain) {
      services.events().normal(app, "Retained",
          "Left application " + status.getAppId() + " in Logto (deletionPolicy Retain)");
      return DeleteOutcome.removed();
    }
    String id = status.getAppId();
    if (id == null && status.getPendingCreate() != null) {
      id = session.logto().listApplications().stream()
          .filter(a -> AppIdentity.isCreatedBy(a, app))
          .map(Application::id)
          .findFirst()
          .orElse(null);
    }
    if (id != null) {
      String doomed = id;
      NotFound.ignore(() -> session.logto().deleteApplication(doomed));
      LOG.info("{} {}/{}: deleted application {}", KIND, session.namespace(), session.name(), id);
      services.events().normal(app, "Deleted", "Deleted application " + id + " from Logto");
    }
    return DeleteOutcome.removed();
  }
}
