package io.logto.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.logto.operator.logto.LogtoClient;
import io.logto.operator.logto.LogtoException;
import io.logto.operator.logto.model.ApiResource;
import io.logto.operator.logto.model.NewApiResource;
import io.logto.operator.logto.model.NewApplication;
import io.logto.operator.logto.model.NewRole;
import io.logto.operator.simulator.LogtoSimulator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The answers of Logto that the operator reads to decide (an expired secret, an unknown one, a
 * name taken, a scope not granted), asked of the real Logto and of the simulator with the same
 * assertions: where they differ, the simulator is wrong.
 */
@ExtendWith(RealLogto.class)
@Execution(ExecutionMode.CONCURRENT)
class LogtoContractIT {

  @Test
  void theSimulatorAnswersAsTheRealLogtoDoes(RealLogtoServer real) {
    try (LogtoSimulator simulator = LogtoSimulator.start()) {
      for (LogtoInstance logto : List.of(real.instance(), LogtoInstance.of(simulator))) {
        try (LogtoClient client = logto.client()) {
          facts(client, "contract-" + Long.toString(System.nanoTime(), 36));
        } catch (AssertionError e) {
          throw new AssertionError(logto + ": " + e.getMessage(), e);
        }
      }
    }
  }

  private static void facts(LogtoClient client, String tag) {
    String indicator = "https://" + tag + ".api";
    ApiResource resource = client.createApiResource(new NewApiResource(tag, indicator, null));
    String read = client.createScope(resource.id(), "read", "Read").id();
    client.createScope(resource.id(), "write", "Write");
    String role = client.createRole(new NewRole(tag + "-reader", "Reads", List.of(read))).id();
    String appId = client.createApplication(new NewApplication(tag, null, Map.of())).id();
    client.assignApplicationRoles(appId, List.of(role));

    // A scope the roles do not grant is left out of the token, not refused.
    assertThat(client.requestToken(appId, client.listApplicationSecrets(appId).get(0).value(),
        indicator, List.of("read", "write")).grantedScopes()).containsExactly("read");

    String expiring = client.createApplicationSecret(appId, "expiring",
        Instant.now().plusMillis(1500)).value();
    sleep(2000);
    refused(() -> client.requestToken(appId, expiring, indicator, List.of("read")), e -> {
      assertThat(e.status()).as("an expired secret").isEqualTo(400);
      assertThat(e.code()).isEqualTo("oidc.invalid_request");
    });
    assertThat(client.listApplicationSecrets(appId)).as("an expired secret is still listed")
        .anySatisfy(s -> assertThat(s.name()).isEqualTo("expiring"));

    refused(() -> client.requestToken(appId, "not-this-apps-secret", indicator,
        List.of("read")), e -> {
          assertThat(e.status()).as("an unknown secret").isEqualTo(401);
          assertThat(e.code()).isEqualTo("oidc.invalid_client");
        });
    refused(() -> client.createApplicationSecret(appId, "past", Instant.now().minusSeconds(60)),
        e -> {
          assertThat(e.status()).as("an expiry in the past").isEqualTo(400);
          assertThat(e.code()).isEqualTo("request.invalid_input");
        });
    refused(() -> client.createApplicationSecret(appId, "expiring", null), e -> {
      assertThat(e.status()).as("a secret name taken").isEqualTo(422);
      assertThat(e.code()).isEqualTo("application.secret_name_exists");
    });
    refused(() -> client.deleteApplicationSecret(appId, "no-such-secret"), e -> {
      assertThat(e.status()).as("deleting an unknown secret").isEqualTo(404);
      assertThat(e.code()).isEqualTo("entity.not_found");
    });
    client.deleteApplication(appId);
    client.deleteRole(role);
    client.deleteApiResource(resource.id());
  }

  private static void refused(Runnable call, Consumer<LogtoException> check) {
    LogtoException e = catchThrowableOfType(LogtoException.class, call::run);
    assertThat(e).as("Logto refuses").isNotNull();
    check.accept(e);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
