package io.logto.operator.rotation;

import static io.logto.operator.rotation.RotationFixture.rotation;
import static org.assertj.core.api.Assertions.assertThat;

import io.logto.operator.crd.app.CredentialsStatus;
import io.logto.operator.logto.model.ApplicationSecret;
import io.logto.operator.reconciler.OperatorHarness;
import io.logto.operator.reliability.CrashingLogtoApi;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * For every Logto call on the rotation path, the operator dies right after the call succeeded,
 * before it recorded anything. At the crash, the Secret holds only secrets Logto accepts and the
 * app carries at most two operator-made secrets; a fresh operator then finishes the rotation, with
 * nothing created twice and the old secret gone. The grace period is 0s, so one rotation takes
 * every call, deletion included.
 */
class RotationCrashSafetyTest {

  private OperatorHarness h;

  @AfterEach
  void stop() {
    h.close();
  }

  @ParameterizedTest(name = "crash after {0}")
  @ValueSource(strings = {"listApplicationSecrets", "createApplicationSecret", "requestToken",
      "deleteApplicationSecret"})
  void aRotationSurvivesACrashAfterEachLogtoCall(String method) throws Exception {
    h = OperatorHarness.start();
    RotationFixture f = new RotationFixture(h).create(rotation(null, "0s", false));
    String old = f.current();
    h.stopOperator();
    CrashingLogtoApi crashing = new CrashingLogtoApi(h.client, method);
    h.startOperator(crashing.api(), Set.of());

    f.annotate("m2m.logto.io/rotate", "after-a-crash");
    assertThat(crashing.awaitCrash(30)).as("the operator called %s", method).isTrue();
    h.stopOperator();
    assertTheSecretHoldsOnlyAcceptedSecrets(f);
    assertThat(f.operatorMade().size()).isLessThanOrEqualTo(2);

    h.startOperator(h.client, Set.of());
    CredentialsStatus done = f.awaitCredentials(c -> "after-a-crash".equals(c.getRotateRequest())
        && c.getPrevious() == null && c.getPending() == null);
    assertThat(done.getCurrent().getName()).startsWith("logto-operator-");
    assertTheSecretHoldsOnlyAcceptedSecrets(f);
    assertThat(f.works(f.current())).isTrue();
    assertThat(f.works(old)).as("the replaced secret").isFalse();
    assertThat(f.inLogto()).extracting(ApplicationSecret::name)
        .containsExactly(done.getCurrent().getName());
    assertThat(f.previous()).isNull();
  }

  private static void assertTheSecretHoldsOnlyAcceptedSecrets(RotationFixture f) {
    assertThat(f.works(f.current())).as("LOGTO_APP_SECRET").isTrue();
    if (f.previous() != null) {
      assertThat(f.works(f.previous())).as("LOGTO_APP_SECRET_PREVIOUS").isTrue();
    }
  }
}
