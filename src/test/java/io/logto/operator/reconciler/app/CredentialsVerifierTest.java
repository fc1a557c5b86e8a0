package io.logto.operator.reconciler.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.logto.operator.logto.LogtoClient;
import io.logto.operator.logto.LogtoClientOptions;
import io.logto.operator.logto.LogtoConnection;
import io.logto.operator.logto.model.ApiResource;
import io.logto.operator.logto.model.NewApiResource;
import io.logto.operator.logto.model.NewApplication;
import io.logto.operator.logto.model.NewRole;
import io.logto.operator.reconciler.MutableClock;
import io.logto.operator.reconciler.common.Reason;
import io.logto.operator.simulator.LogtoSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the CredentialsVerified condition says of Logto's answers, which Logto 1.37.1 gives as:
 * an expired secret 400 oidc.invalid_request, a wrong one 401 oidc.invalid_client, a role without
 * the scope a token without it.
 */
class CredentialsVerifierTest {

  private static final String RESOURCE = "https://verified.api";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
  private LogtoSimulator simulator;
  private LogtoClient client;
  private String appId;

  @BeforeEach
  void start() {
    simulator = LogtoSimulator.start();
    simulator.useClock(clock);
    client = new LogtoClient(new LogtoConnection(simulator.endpoint(),
        LogtoSimulator.MANAGEMENT_API_RESOURCE, simulator.bootstrapAppId(),
        simulator.bootstrapAppSecret()), LogtoClientOptions.defaults().withMaxRetries(0));
    ApiResource resource = client.createApiResource(new NewApiResource("v", RESOURCE, null));
    String read = client.createScope(resource.id(), "read", "Read").id();
    client.createScope(resource.id(), "write", "Write");
    String role = client.createRole(new NewRole("verified-reader", "Reads", List.of(read))).id();
    appId = client.createApplication(new NewApplication("verified", null, Map.of())).id();
    client.assignApplicationRoles(appId, List.of(role));
  }

  @AfterEach
  void stop() {
    client.close();
    simulator.close();
  }

  private CredentialsVerifier.Verdict verify(String secret, List<String> scopes) {
    return new CredentialsVerifier().verify(client,
        new CredentialsSecrets.Credentials(appId, secret, null), Map.of(RESOURCE, scopes));
  }

  @Test
  void anExpiredSecretIsToldAsExpired() {
    String secret = client.createApplicationSecret(appId, "short",
        clock.instant().plus(Duration.ofMinutes(1))).value();
    assertThat(verify(secret, List.of("read")).reason()).isEqualTo(Reason.Verified);

    clock.advance(Duration.ofMinutes(2));
    CredentialsVerifier.Verdict verdict = verify(secret, List.of("read"));
    assertThat(verdict.ok()).isFalse();
    assertThat(verdict.credentialsAccepted()).isFalse();
    assertThat(verdict.message()).contains("Logto refused the secret as expired"
        + " (400 oidc.invalid_request)");
  }

  @Test
  void anUnknownSecretIsToldAsUnknown() {
    CredentialsVerifier.Verdict verdict = verify("not-a-secret-of-this-app", List.of("read"));
    assertThat(verdict.credentialsAccepted()).isFalse();
    assertThat(verdict.message()).contains("Logto does not know the secret: deleted, or not this"
        + " application's (401 oidc.invalid_client)");
  }

  @Test
  void missingScopesAreAMatterOfRolesNotOfTheSecret() {
    String secret = client.listApplicationSecrets(appId).get(0).value();
    CredentialsVerifier.Verdict verdict = verify(secret, List.of("read", "write"));
    assertThat(verdict.reason()).isEqualTo(Reason.ScopesMissing);
    assertThat(verdict.ok()).isFalse();
    assertThat(verdict.credentialsAccepted()).as("Logto accepted the secret").isTrue();
    assertThat(verdict.message()).contains(RESOURCE + ": missing write");
  }
}
