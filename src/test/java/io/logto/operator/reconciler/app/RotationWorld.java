package io.logto.operator.reconciler.app;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.logto.operator.connection.ConnectionKey;
import io.logto.operator.connection.LogtoTenant;
import io.logto.operator.connection.NamespacePolicy;
import io.logto.operator.crd.app.CredentialsSecret;
import io.logto.operator.crd.app.CredentialsStatus;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.app.LogtoM2MAppSpec;
import io.logto.operator.crd.app.LogtoM2MAppStatus;
import io.logto.operator.crd.app.SecretRotation;
import io.logto.operator.logto.LogtoApi;
import io.logto.operator.logto.LogtoClient;
import io.logto.operator.logto.LogtoClientOptions;
import io.logto.operator.logto.LogtoConnection;
import io.logto.operator.logto.LogtoException;
import io.logto.operator.logto.model.ApiResource;
import io.logto.operator.logto.model.Application;
import io.logto.operator.logto.model.ApplicationSecret;
import io.logto.operator.logto.model.NewApiResource;
import io.logto.operator.logto.model.NewApplication;
import io.logto.operator.logto.model.NewRole;
import io.logto.operator.logto.model.Role;
import io.logto.operator.reconciler.MutableClock;
import io.logto.operator.reconciler.common.EventRecorder;
import io.logto.operator.reconciler.common.OperatorServices;
import io.logto.operator.reconciler.common.SyncSession;
import io.logto.operator.sandbox.EmbeddedKubernetes;
import io.logto.operator.simulator.LogtoSimulator;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * One LogtoM2MApp's credentials driven through simulated time, one reconcile at a time: the
 * rotation steps the reconciler runs ({@link CredentialRotation#run}, and its skip of Logto when
 * nothing is due), against the Logto simulator on the same clock. Kubernetes is reduced to what
 * outlives the operator's process: the status as last written, and the Secret. The world can
 * take Logto down, and kill the operator right after any Logto call, Secret write or status
 * write; what the reconcile held in memory is then lost, as in a crash.
 *
 * <p>It records what a test of the promise needs: when the Secret's current secret changed,
 * every secret created and deleted in Logto (and how many the app held at each creation), the
 * rotate requests, and when revoke-previous was on.
 */
final class RotationWorld implements AutoCloseable {

  static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
  static final String RESOURCE = "https://shop.api";
  static final String SCOPE = "read";

  /** Thrown in place of a result: the process died right after the step. */
  static final class Crash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Crash(String step) {
      super("crash after " + step);
    }
  }

  /** A secret created in Logto: when, and how many secrets the app held just before. */
  record Creation(Instant at, String name, int heldBefore) {}

  /** A change of the Secret's current secret: the value replaced, and when. */
  record Replacement(Instant at, String replaced, String by) {}

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  final MutableClock clock = new MutableClock(START);
  final LogtoSimulator logto = LogtoSimulator.start();
  final LogtoClient client;
  private final EmbeddedKubernetes kubernetes;
  private final CredentialRotation rotation;
  private final LogtoTenant tenant;
  private final Map<String, List<String>> grants = Map.of(RESOURCE, List.of(SCOPE));
  final String appId;
  private final LogtoM2MApp app;

  // What outlives the operator
  private LogtoM2MAppStatus persisted;
  private CredentialsSecrets.Credentials secret;

  // Faults
  private boolean logtoDown;
  private int crashInSteps;
  private boolean operatorDown;

  // The record
  final List<Creation> creations = new ArrayList<>();
  final Map<String, Instant> deletions = new HashMap<>();
  final List<Replacement> replacements = new ArrayList<>();
  final List<Instant> revokeOn = new ArrayList<>();
  final List<Instant> revokeOff = new ArrayList<>();
  final Map<String, Instant> requests = new HashMap<>();
  int crashes;

  /**
   * @param kubernetes where Events go (may be shared: each world's app has its own uid)
   */
  RotationWorld(EmbeddedKubernetes kubernetes, String period, String grace) {
    this.kubernetes = kubernetes;
    logto.useClock(clock);
    LogtoConnection connection = new LogtoConnection(logto.endpoint(),
        LogtoSimulator.MANAGEMENT_API_RESOURCE, logto.bootstrapAppId(),
        logto.bootstrapAppSecret());
    client = new LogtoClient(connection, LogtoClientOptions.defaults().withMaxRetries(0));
    ApiResource resource = client.createApiResource(new NewApiResource("shop", RESOURCE, null));
    String scopeId = client.createScope(resource.id(), SCOPE, "Read").id();
    Role role = client.createRole(new NewRole("reader", "Reads", List.of(scopeId)));
    Application created = client.createApplication(new NewApplication("client", null, Map.of()));
    client.assignApplicationRoles(created.id(), List.of(role.id()));
    appId = created.id();

    EventRecorder events = new EventRecorder(kubernetes.client(), clock);
    OperatorServices services = new OperatorServices(null, key -> true, null, events, clock);
    rotation = new CredentialRotation(services,
        new WorkloadRestarter(kubernetes.client(), events));
    tenant = new LogtoTenant(ConnectionKey.DEFAULT, faulty(client), connection,
        NamespacePolicy.allNamespaces(Set.of()));
    app = app(period, grace);
    persisted = new LogtoM2MAppStatus();
    persisted.setAppId(appId);
  }

  private static LogtoM2MApp app(String period, String grace) {
    LogtoM2MApp app = new LogtoM2MApp();
    String uid = UUID.randomUUID().toString();
    app.setMetadata(new ObjectMetaBuilder().withName("client")
        .withNamespace("rotation-" + uid.substring(0, 8)).withUid(uid).withGeneration(1L)
        .withAnnotations(new HashMap<>()).build());
    LogtoM2MAppSpec spec = new LogtoM2MAppSpec();
    SecretRotation rotation = new SecretRotation();
    rotation.setPeriod(period);
    rotation.setGracePeriod(grace);
    CredentialsSecret secret = new CredentialsSecret();
    secret.setRotation(rotation);
    spec.setSecret(secret);
    app.setSpec(spec);
    return app;
  }

  // The operator

  /** Outcome of one reconcile: when it asks to be run again, if at all. */
  record Result(Optional<Duration> again, boolean failed) {}

  /**
   * One reconcile as the reconciler makes it: skip Logto when nothing is due (unless
   * {@code fullSync}, as after a spec change or drift), else run the rotation and write status.
   * Empty when the operator is down or died in it.
   */
  Optional<Result> reconcile(boolean fullSync) {
    if (operatorDown) {
      return Optional.empty();
    }
    LogtoM2MApp resource = withPersistedStatus();
    RotationPolicy policy = policy();
    Instant now = clock.instant();
    if (!fullSync && secret != null
        && !CredentialRotation.needsSync(resource, persisted.getCredentials(), policy, now)) {
      return Optional.of(new Result(
          CredentialRotation.nextCheck(resource, persisted.getCredentials(), policy, now), false));
    }
    SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session =
        new SyncSession<>(resource, LogtoM2MAppStatus.class, tenant, this::writeStatus);
    try {
      try {
        rotation.run(session, policy, new Sink(session));
      } catch (LogtoException unavailable) {
        // The reconciler's frame writes what the sync observed, then backs off.
        session.persistIfChanged();
        return Optional.of(new Result(Optional.empty(), true));
      }
      session.persistIfChanged();
      return Optional.of(new Result(CredentialRotation.nextCheck(session.resource(),
          session.status().getCredentials(), policy, now), false));
    } catch (Crash crash) {
      return Optional.empty();
    }
  }

  /** The periodic resync: a reconcile if a rotation or retirement is due by the clock. */
  Optional<Result> resync() {
    LogtoM2MApp view = new LogtoM2MApp();
    view.setMetadata(app.getMetadata());
    view.setSpec(app.getSpec());
    view.setStatus(persisted);
    if (operatorDown || AppDrift.credentialsDue(view, clock.instant()) == null) {
      return Optional.empty();
    }
    return reconcile(true);
  }

  RotationPolicy policy() {
    return DesiredApp.of(app).rotation();
  }

  private LogtoM2MApp withPersistedStatus() {
    LogtoM2MApp copy = JSON.clone(app);
    copy.setStatus(JSON.clone(persisted));
    return copy;
  }

  private LogtoM2MApp writeStatus(LogtoM2MApp current,
      java.util.function.UnaryOperator<LogtoM2MApp> withStatus) {
    LogtoM2MApp written = withStatus.apply(JSON.clone(current));
    persisted = JSON.clone(written.getStatus());
    step("status write");
    return written;
  }

  /** The Secret, and tokens obtained with what it holds, as the reconciler's sink does. */
  private final class Sink implements CredentialRotation.CredentialsSink {
    private final SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session;

    Sink(SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session) {
      this.session = session;
    }

    @Override
    public void write(CredentialsSecrets.Credentials credentials) {
      if (secret != null && !secret.appSecret().equals(credentials.appSecret())) {
        replacements.add(new Replacement(clock.instant(), secret.appSecret(),
            credentials.appSecret()));
      }
      secret = credentials;
      step("Secret write");
    }

    @Override
    public CredentialsVerifier.Verdict verify(CredentialsSecrets.Credentials credentials) {
      return new CredentialsVerifier().verify(session.logto(), credentials, grants);
    }
  }

  private LogtoApi faulty(LogtoApi real) {
    return (LogtoApi) Proxy.newProxyInstance(LogtoApi.class.getClassLoader(),
        new Class<?>[] {LogtoApi.class}, (proxy, method, args) -> {
          if (logtoDown) {
            throw new LogtoException(LogtoException.NO_RESPONSE, null, "simulated outage");
          }
          String name = method.getName();
          if (name.equals("createApplicationSecret")) {
            creations.add(new Creation(clock.instant(), (String) args[1],
                real.listApplicationSecrets(appId).size()));
          }
          Object result;
          try {
            result = method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (name.equals("deleteApplicationSecret")) {
            deletions.put((String) args[1], clock.instant());
          }
          step("Logto " + name);
          return result;
        });
  }

  private void step(String what) {
    if (crashInSteps > 0 && --crashInSteps == 0) {
      operatorDown = true;
      crashes++;
      throw new Crash(what);
    }
  }

  // Faults and user actions

  void setLogtoDown(boolean down) {
    logtoDown = down;
  }

  boolean logtoDown() {
    return logtoDown;
  }

  /** The operator dies right after its n-th step from now. */
  void crashAfter(int steps) {
    crashInSteps = steps;
  }

  boolean operatorDown() {
    return operatorDown;
  }

  /** A new operator process: nothing of the old one's memory, nor its pending crash. */
  void restart() {
    operatorDown = false;
    crashInSteps = 0;
  }

  void requestRotation(String value) {
    requests.put(value, clock.instant());
    annotate(CredentialRotation.ROTATE_ANNOTATION, value);
  }

  void setRevokePrevious(boolean on) {
    (on ? revokeOn : revokeOff).add(clock.instant());
    annotate(CredentialRotation.REVOKE_PREVIOUS_ANNOTATION, on ? "true" : null);
  }

  private void annotate(String key, String value) {
    Map<String, String> annotations = app.getMetadata().getAnnotations();
    if (value == null) {
      annotations.remove(key);
    } else {
      annotations.put(key, value);
    }
  }

  void advance(Duration by) {
    clock.advance(by);
  }

  // What a test looks at

  Instant now() {
    return clock.instant();
  }

  /** The Secret as it is now; null before the first write. */
  CredentialsSecrets.Credentials secret() {
    return secret;
  }

  /** The credentials status as last written. */
  CredentialsStatus credentials() {
    return persisted.getCredentials();
  }

  String annotation(String key) {
    return app.getMetadata().getAnnotations().get(key);
  }

  /** Whether a workload holding this secret obtains a token from Logto now. */
  boolean accepted(String value) {
    try {
      client.requestToken(appId, value, RESOURCE, List.of(SCOPE));
      return true;
    } catch (LogtoException refused) {
      if (refused.status() != 400 && refused.status() != 401) {
        throw refused;
      }
      return false;
    }
  }

  /**
   * The secret values Logto accepts now, read from its list as its token endpoint judges them:
   * present and not past expiresAt (one call, where a token per value would take one each).
   */
  Set<String> acceptedNow() {
    long now = clock.millis();
    return inLogto().stream()
        .filter(s -> s.expiresAt() == null || s.expiresAt() == 0 || s.expiresAt() >= now)
        .map(ApplicationSecret::value)
        .collect(java.util.stream.Collectors.toSet());
  }

  List<ApplicationSecret> inLogto() {
    return client.listApplicationSecrets(appId);
  }

  /** The Events recorded for the app, oldest first. */
  List<Event> events() {
    String uid = app.getMetadata().getUid();
    List<Event> events = new ArrayList<>(kubernetes.client().v1().events()
        .inNamespace(app.getMetadata().getNamespace()).list().getItems().stream()
        .filter(e -> uid.equals(e.getInvolvedObject().getUid())).toList());
    events.sort(java.util.Comparator.comparing(Event::getFirstTimestamp));
    return events;
  }

  void forEachEvent(String reason, Consumer<Event> action) {
    events().stream().filter(e -> reason.equals(e.getReason())).forEach(action);
  }

  @Override
  public void close() {
    logto.close();
  }
}
