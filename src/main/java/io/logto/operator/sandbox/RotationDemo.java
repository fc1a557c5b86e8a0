package io.logto.operator.sandbox;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logto.operator.crd.app.CredentialsSecret;
import io.logto.operator.crd.app.CredentialsStatus;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.app.SecretRotation;
import io.logto.operator.logto.LogtoApi;
import io.logto.operator.logto.LogtoException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code sandbox --rotate-demo}: rotates one app's secret on demand, with a short grace period, and
 * shows a client's token requests before, during and after it: the previous secret keeps working
 * until the grace period is over, the new one from the moment it is in the Secret. Secrets are
 * never printed.
 */
public final class RotationDemo {

  static final String GRACE = "10s";
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final PrintWriter out;
  private boolean succeeded;

  public RotationDemo(PrintWriter out) {
    this.out = out;
  }

  /** Whether every token request answered as a rotation without downtime must. */
  public boolean succeeded() {
    return succeeded;
  }

  public void run(OperatorStack stack) {
    KubernetesClient k8s = stack.kubernetes();
    Optional<Target> found = target(k8s);
    if (found.isEmpty()) {
      out.println("Rotation demo: no Ready LogtoM2MApp whose Secret names an API resource.");
      out.flush();
      return;
    }
    Target target = found.get();
    LogtoApi logto = stack.client();
    String ns = target.app().getMetadata().getNamespace();
    String name = target.app().getMetadata().getName();
    out.println("Rotation demo on LogtoM2MApp " + ns + "/" + name + " (grace period " + GRACE
        + "), as a client holding its Secret sees it:");
    Credentials before = target.credentials();
    boolean ok = line("before", "current secret " + works(logto, before, before.secret()),
        works(logto, before, before.secret()).equals("ok"));

    String request = "sandbox-demo-" + System.currentTimeMillis();
    String oldName = currentName(k8s, ns, name);
    k8s.resources(LogtoM2MApp.class).inNamespace(ns).withName(name).edit(app -> {
      CredentialsSecret secret = app.getSpec().getSecret() == null ? new CredentialsSecret()
          : app.getSpec().getSecret();
      SecretRotation rotation = secret.getRotation() == null ? new SecretRotation()
          : secret.getRotation();
      rotation.setGracePeriod(GRACE);
      secret.setRotation(rotation);
      app.getSpec().setSecret(secret);
      Map<String, String> annotations = new HashMap<>();
      if (app.getMetadata().getAnnotations() != null) {
        annotations.putAll(app.getMetadata().getAnnotations());
      }
      annotations.put("m2m.logto.io/rotate", request);
      app.getMetadata().setAnnotations(annotations);
      return app;
    });
    if (!waitFor(() -> {
      CredentialsStatus state = credentials(k8s, ns, name);
      return state != null && state.getCurrent() != null && state.getPending() == null
          && !state.getCurrent().getName().equals(oldName)
          && target.secretName().equals(secretName(k8s, ns, name));
    })) {
      out.println("Rotation demo: the secret was not rotated within " + WAIT.toSeconds() + " s");
      out.flush();
      return;
    }
    CredentialsStatus rotated = credentials(k8s, ns, name);
    Credentials during = read(k8s, ns, target.secretName(), before);
    out.println("  rotating  m2m.logto.io/rotate=" + request + ": new secret "
        + rotated.getCurrent().getName() + " written to Secret " + target.secretName()
        + ", previous " + oldName + " kept until " + rotated.getPrevious().getRetireAt());
    String duringNew = works(logto, during, during.secret());
    String duringOld = during.previous() == null ? "missing"
        : works(logto, during, during.previous());
    ok &= line("during", "new secret " + duringNew + "; previous secret"
        + " (LOGTO_APP_SECRET_PREVIOUS) " + duringOld, duringNew.equals("ok")
        && duringOld.equals("ok") && before.secret().equals(during.previous()));

    waitFor(() -> credentials(k8s, ns, name).getPrevious() == null);
    Credentials after = read(k8s, ns, target.secretName(), before);
    String afterNew = works(logto, after, after.secret());
    String afterOld = works(logto, after, before.secret());
    ok &= line("after", "new secret " + afterNew + "; previous secret " + afterOld
        + " (retired after the grace period)", afterNew.equals("ok") && !afterOld.equals("ok"));
    succeeded = ok;
    out.println(ok ? "No request failed that should have worked: no downtime."
        : "Rotation demo: some token request did not answer as it should (above).");
    out.flush();
  }

  private boolean line(String phase, String text, boolean expected) {
    out.println("  " + String.format("%-9s", phase) + " " + text
        + (expected ? "" : "  <- unexpected"));
    out.flush();
    return expected;
  }

  private static boolean waitFor(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /** "ok", or how Logto refused the secret. */
  private static String works(LogtoApi logto, Credentials credentials, String secret) {
    try {
      logto.requestToken(credentials.appId(), secret, credentials.resource(),
          credentials.scopes());
      return "ok";
    } catch (LogtoException e) {
      return "refused (" + e.status() + (e.code() == null ? "" : " " + e.code()) + ")";
    }
  }

  private record Credentials(String appId, String secret, String previous, String resource,
      List<String> scopes) {}

  private record Target(LogtoM2MApp app, String secretName, Credentials credentials) {}

  /** A Ready app whose Secret names one API resource, preferring one without the Management API. */
  private static Optional<Target> target(KubernetesClient k8s) {
    return k8s.resources(LogtoM2MApp.class).inAnyNamespace().list().getItems().stream()
        .filter(a -> a.getStatus() != null && a.getStatus().getSecretName() != null)
        .sorted(Comparator.comparing((LogtoM2MApp a) -> a.getMetadata().getNamespace())
            .thenComparing(a -> a.getMetadata().getName()))
        .map(a -> {
          String secret = a.getStatus().getSecretName();
          Credentials credentials = read(k8s, a.getMetadata().getNamespace(), secret, null);
          return credentials == null || credentials.resource() == null ? null
              : new Target(a, secret, credentials);
        })
        .filter(t -> t != null)
        .min(Comparator.comparing(t -> t.credentials().resource().endsWith(".logto.app/api")));
  }

  private static Credentials read(KubernetesClient k8s, String ns, String name,
      Credentials fallback) {
    Secret secret = k8s.secrets().inNamespace(ns).withName(name).get();
    if (secret == null || secret.getData() == null) {
      return fallback;
    }
    Map<String, String> data = new HashMap<>();
    secret.getData().forEach((k, v) ->
        data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    String scopes = data.get("LOGTO_SCOPES");
    return new Credentials(data.get("LOGTO_APP_ID"), data.get("LOGTO_APP_SECRET"),
        data.get("LOGTO_APP_SECRET_PREVIOUS"), data.get("LOGTO_RESOURCE"),
        scopes == null || scopes.isBlank() ? List.of() : List.of(scopes.split(" ")));
  }

  private static CredentialsStatus credentials(KubernetesClient k8s, String ns, String name) {
    LogtoM2MApp app = k8s.resources(LogtoM2MApp.class).inNamespace(ns).withName(name).get();
    return app == null || app.getStatus() == null ? null : app.getStatus().getCredentials();
  }

  private static String currentName(KubernetesClient k8s, String ns, String name) {
    CredentialsStatus state = credentials(k8s, ns, name);
    return state == null || state.getCurrent() == null ? "" : state.getCurrent().getName();
  }

  private static String secretName(KubernetesClient k8s, String ns, String name) {
    return k8s.resources(LogtoM2MApp.class).inNamespace(ns).withName(name).get().getStatus()
        .getSecretName();
  }
}
