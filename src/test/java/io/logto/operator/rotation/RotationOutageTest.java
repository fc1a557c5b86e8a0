package io.logto.operator.rotation;

import static io.logto.operator.rotation.RotationFixture.rotation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logto.operator.logto.LogtoApi;
import io.logto.operator.logto.LogtoException;
import io.logto.operator.logto.model.ApplicationSecret;
import io.logto.operator.reconciler.OperatorHarness;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Logto unavailable during a rotation: nothing is deleted, the Secret keeps a secret that works,
 * and the rotation resumes once Logto answers again.
 */
class RotationOutageTest {

  private OperatorHarness h;
  /** Logto calls (by method name) that answer 503 to the operator while listed. */
  private final Set<String> down = ConcurrentHashMap.newKeySet();

  @AfterEach
  void stop() {
    h.close();
  }

  private RotationFixture start(String grace) {
    h = OperatorHarness.startWithoutOperator();
    LogtoApi flaky = (LogtoApi) Proxy.newProxyInstance(LogtoApi.class.getClassLoader(),
        new Class<?>[] {LogtoApi.class}, (p, method, args) -> {
          if (down.contains(method.getName()) || down.contains("*")) {
            throw new LogtoException(503, null, "Logto is unavailable (test)");
          }
          try {
            return method.invoke(h.client, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    h.startOperator(flaky, Set.of());
    return new RotationFixture(h).create(rotation(null, grace, false));
  }

  @Test
  void logtoDownWhenTheRotationStartsChangesNothingUntilItIsBack() {
    RotationFixture f = start("0s");
    String old = f.current();
    down.add("*");
    f.annotate("m2m.logto.io/rotate", "during-outage");
    await().atMost(Duration.ofSeconds(45)).until(() ->
        h.readyReason(f.app).filter("LogtoUnavailable"::equals).isPresent());
    assertThat(f.current()).isEqualTo(old);
    assertThat(f.works(old)).as("the Secret's secret during the outage").isTrue();
    assertThat(f.inLogto()).extracting(ApplicationSecret::name).containsExactly("Default secret");

    down.clear();
    f.awaitCredentials(c -> "during-outage".equals(c.getRotateRequest())
        && c.getPrevious() == null);
    h.awaitReady(f.app);
    assertThat(f.works(f.current())).isTrue();
    assertThat(f.works(old)).isFalse();
  }

  @Test
  void logtoRefusingTheDeletionKeepsThePreviousSecretValidAndRetriesIt() {
    RotationFixture f = start("0s");
    String old = f.current();
    down.add("deleteApplicationSecret");
    f.annotate("m2m.logto.io/rotate", "delete-fails");
    f.awaitRotationFrom("Default secret");
    await().atMost(Duration.ofSeconds(45)).until(() ->
        h.readyReason(f.app).filter("LogtoUnavailable"::equals).isPresent());
    assertThat(f.works(f.current())).isTrue();
    assertThat(f.works(old)).as("not deleted while Logto refuses").isTrue();
    assertThat(f.credentials().getPrevious()).as("still to retire").isNotNull();

    down.clear();
    f.awaitCredentials(c -> c.getPrevious() == null);
    await().atMost(Duration.ofSeconds(20)).until(() -> !f.works(old));
    assertThat(f.inLogto()).extracting(ApplicationSecret::name)
        .containsExactly(f.currentName());
  }
}
