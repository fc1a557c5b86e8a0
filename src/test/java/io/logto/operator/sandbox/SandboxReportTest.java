package io.logto.operator.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.logto.operator.crd.app.CredentialsSecret;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.app.LogtoM2MAppSpec;
import io.logto.operator.crd.app.LogtoM2MAppStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the sandbox prints of the Secrets: everything but the secrets that get a token. */
class SandboxReportTest {

  @Test
  void theSecretAndThePreviousOneOfARotationAreMaskedUnderTheirNamesAsRenamed() {
    LogtoM2MApp renamed = new LogtoM2MApp();
    renamed.setMetadata(new ObjectMetaBuilder().withNamespace("default").withName("renamed")
        .build());
    LogtoM2MAppSpec spec = new LogtoM2MAppSpec();
    CredentialsSecret secret = new CredentialsSecret();
    secret.setKeys(Map.of("LOGTO_APP_SECRET", "PASSWORD",
        "LOGTO_APP_SECRET_PREVIOUS", "OLD_PASSWORD"));
    spec.setSecret(secret);
    renamed.setSpec(spec);
    renamed.setStatus(new LogtoM2MAppStatus());
    renamed.getStatus().setSecretName("renamed-credentials");
    StringWriter out = new StringWriter();

    SandboxReport.printSecrets(new PrintWriter(out, true), List.of(
        new SandboxSummary.SecretEntry("default", "plain-credentials", Map.of(
            "LOGTO_APP_ID", "id-1", "LOGTO_APP_SECRET", "secret-1",
            "LOGTO_APP_SECRET_PREVIOUS", "secret-0")),
        new SandboxSummary.SecretEntry("default", "renamed-credentials", Map.of(
            "LOGTO_APP_ID", "id-2", "PASSWORD", "secret-2", "OLD_PASSWORD", "secret-3"))),
        List.of(renamed));

    assertThat(out.toString()).doesNotContain("secret-0", "secret-1", "secret-2", "secret-3")
        .contains("id-1", "id-2", "LOGTO_APP_SECRET_PREVIOUS  ****", "OLD_PASSWORD  ****");
  }
}
