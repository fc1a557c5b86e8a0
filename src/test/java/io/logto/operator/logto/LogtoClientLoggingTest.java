package io.logto.operator.logto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.logto.operator.logto.model.Application;
import io.logto.operator.logto.model.ApplicationSecret;
import io.logto.operator.logto.model.NewApplication;
import io.logto.operator.logto.model.TokenGrant;
import io.logto.operator.simulator.LogtoSimulator;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** At TRACE the client logs bodies, and still never a secret, a token or a credential header. */
class LogtoClientLoggingTest extends SimulatorTestBase {

  private final LogLevels trace = new LogLevels(Level.TRACE, "io.logto.operator.logto");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger clientLogs = (Logger) LoggerFactory.getLogger("io.logto.operator.logto");

  @BeforeEach
  void captureTrace() {
    trace.apply();
    appender.start();
    clientLogs.addAppender(appender);
  }

  @AfterEach
  void stopCapture() {
    clientLogs.detachAppender(appender);
    trace.restore();
  }

  @Test
  void traceLogsShowBodiesWithEverySecretMasked() {
    logto.setLegacyApplicationSecret(true); // answers carry the internal "secret" too
    Application app = client.createApplication(new NewApplication("logged", "d", null));
    ApplicationSecret initial = client.listApplicationSecrets(app.id()).get(0);
    ApplicationSecret rotated = client.createApplicationSecret(app.id(), "rotated", null);
    TokenGrant grant = client.requestToken(app.id(), rotated.value(),
        LogtoSimulator.MANAGEMENT_API_RESOURCE, List.of("all"));
    client.listApplications();
    assertThatThrownBy(() -> client.requestToken(app.id(), "wrong-" + rotated.value(),
        LogtoSimulator.MANAGEMENT_API_RESOURCE, List.of())).isInstanceOf(LogtoException.class);
    logto.expireAllTokens(); // a 401 and a renewal are logged too
    client.getApplication(app.id());

    String logs = everything();
    List<String> secrets = new ArrayList<>(List.of(
        logto.bootstrapAppSecret(), initial.value(), rotated.value(), grant.accessToken()));
    assertThat(secrets).allSatisfy(secret -> assertThat(logs).doesNotContain(secret));
    assertThat(logs).doesNotContain("internal_", "Bearer", "Basic ", "eyJ", "client_credentials");

    // The test would pass on empty logs: check that exchanges and masked bodies were logged.
    assertThat(logs)
        .contains("POST /api/applications -> 200")
        .contains("GET /api/applications/" + app.id() + " -> 401")
        .contains("POST /oidc/token -> 200")
        .contains("\"value\":\"" + Redactor.MASK + "\"")
        .contains("\"secret\":\"" + Redactor.MASK + "\"")
        .contains("\"name\":\"rotated\"");
  }

  private String everything() {
    return appender.list.stream()
        .map(event -> event.getFormattedMessage()
            + (event.getThrowableProxy() == null
                ? "" : "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy())))
        .collect(Collectors.joining("\n"));
  }
}
