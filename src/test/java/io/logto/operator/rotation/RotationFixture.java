package io.logto.operator.rotation;

import static io.logto.operator.reconciler.OperatorHarness.apiResource;
import static io.logto.operator.reconciler.OperatorHarness.app;
import static io.logto.operator.reconciler.OperatorHarness.decoded;
import static io.logto.operator.reconciler.OperatorHarness.permission;
import static io.logto.operator.reconciler.OperatorHarness.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.logto.operator.crd.app.CredentialsSecret;
import io.logto.operator.crd.app.CredentialsStatus;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.app.SecretRotation;
import io.logto.operator.logto.LogtoException;
import io.logto.operator.logto.model.ApplicationSecret;
import io.logto.operator.reconciler.OperatorHarness;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * An API resource, a role and an app whose credentials rotate, on the harness; and what a test of
 * rotation asks: the Secret's values, whether a secret obtains a token, the app's secrets in Logto.
 */
public final class RotationFixture {

  static final String RESOURCE = "https://shop.api";
  static final String APP = "client";
  static final String SECRET = "client-logto-credentials";

  final OperatorHarness h;
  LogtoM2MApp app;

  RotationFixture(OperatorHarness h) {
    this.h = h;
  }

  /** Creates the three objects, the app with this rotation (null: none), and waits for Ready. */
  RotationFixture create(SecretRotation rotation) {
    h.awaitReady(h.create(apiResource("shop", RESOURCE, "read")));
    h.awaitReady(h.create(role("reader", permission("shop", "read"))));
    LogtoM2MApp wanted = app(APP, "reader");
    CredentialsSecret secret = new CredentialsSecret();
    secret.setRotation(rotation);
    wanted.getSpec().setSecret(secret);
    app = h.awaitReady(h.create(wanted));
    return this;
  }

  static SecretRotation rotation(String period, String grace, boolean removeOthers) {
    SecretRotation rotation = new SecretRotation();
    rotation.setPeriod(period);
    rotation.setGracePeriod(grace);
    rotation.setRemoveOthers(removeOthers ? Boolean.TRUE : null);
    return rotation;
  }

  String appId() {
    return h.get(app).getStatus().getAppId();
  }

  CredentialsStatus credentials() {
    return h.get(app).getStatus().getCredentials();
  }

  String currentName() {
    return credentials().getCurrent().getName();
  }

  Map<String, String> secret() {
    return decoded(h.secret(SECRET));
  }

  String current() {
    return secret().get("LOGTO_APP_SECRET");
  }

  String previous() {
    return secret().get("LOGTO_APP_SECRET_PREVIOUS");
  }

  List<ApplicationSecret> inLogto() {
    return h.client.listApplicationSecrets(appId());
  }

  List<String> operatorMade() {
    return inLogto().stream().map(ApplicationSecret::name)
        .filter(n -> n.startsWith("logto-operator")).toList();
  }

  /** Whether a client holding this secret obtains a token now. */
  boolean works(String secret) {
    LogtoException refused = catchThrowableOfType(LogtoException.class,
        () -> h.client.requestToken(appId(), secret, RESOURCE, List.of("read")));
    if (refused == null) {
      return true;
    }
    assertThat(refused.status()).as("Logto's refusal of a secret").isIn(400, 401);
    return false;
  }

  void annotate(String key, String value) {
    h.edit(app, a -> {
      Map<String, String> annotations = a.getMetadata().getAnnotations() == null
          ? new HashMap<>() : new HashMap<>(a.getMetadata().getAnnotations());
      if (value == null) {
        annotations.remove(key);
      } else {
        annotations.put(key, value);
      }
      a.getMetadata().setAnnotations(annotations);
      return a;
    });
  }

  /** Waits until the app's credentials status satisfies {@code condition}. */
  CredentialsStatus awaitCredentials(Predicate<CredentialsStatus> condition) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(() -> {
          CredentialsStatus state = credentials();
          return state != null && condition.test(state);
        });
    return credentials();
  }

  CredentialsStatus awaitRotationFrom(String name) {
    return awaitCredentials(c -> c.getCurrent() != null && !c.getCurrent().getName().equals(name)
        && c.getPending() == null);
  }

  List<String> rotationEvents() {
    return h.k8s.v1().events().inNamespace(OperatorHarness.NS).list().getItems().stream()
        .filter(e -> "CredentialsRotated".equals(e.getReason()))
        .map(Event::getMessage)
        .toList();
  }
}
