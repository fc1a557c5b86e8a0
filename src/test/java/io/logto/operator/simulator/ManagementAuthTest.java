package io.logto.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.logto.operator.simulator.SimHttp.Answer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The rules of koa-auth on /api. */
class ManagementAuthTest extends SimulatorTestBase {

  private Answer getApplications(String authorization) {
    return http.send("GET", "/api/applications", null, null, authorization);
  }

  @Test
  void missingHeaderIs401AuthorizationHeaderMissing() {
    Answer answer = getApplications(null);
    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(answer.json().toString())
        .isEqualTo("{\"code\":\"auth.authorization_header_missing\","
            + "\"message\":\"Authorization header is missing.\"}");
  }

  @Test
  void nonBearerHeaderIs401TypeNotSupported() {
    Answer answer = getApplications(SimHttp.basic(sim.bootstrapAppId(), sim.bootstrapAppSecret()));
    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.code()).isEqualTo("auth.authorization_token_type_not_supported");
  }

  @Test
  void garbageOrForeignTokensAre401Unauthorized() {
    assertThat(getApplications("Bearer not-a-jwt").code()).isEqualTo("auth.unauthorized");
    assertThat(getApplications("Bearer not-a-jwt").status()).isEqualTo(401);

    try (LogtoSimulator other = LogtoSimulator.start(0, sim.bootstrapAppId(),
        sim.bootstrapAppSecret())) {
      String foreign = new SimHttp(other).managementToken();
      Answer answer = getApplications("Bearer " + foreign);
      assertThat(answer.status()).isEqualTo(401);
      assertThat(answer.code()).isEqualTo("auth.unauthorized");
    }
  }

  @Test
  void tokenForAnotherResourceIs401AsInLogto() {
    http.createResource("Shop", "https://shopping.api");
    Answer token = http.token(sim.bootstrapAppId(), sim.bootstrapAppSecret(),
        "https://shopping.api", "all");
    assertThat(token.status()).isEqualTo(200);
    Answer answer = getApplications("Bearer " + token.json().get("access_token").asText());
    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.code()).isEqualTo("auth.unauthorized");
  }

  @Test
  void managementTokenWithoutAllIs403Forbidden() {
    Answer token = http.token(sim.bootstrapAppId(), sim.bootstrapAppSecret(),
        LogtoSimulator.MANAGEMENT_API_RESOURCE, null);
    assertThat(token.json().has("scope")).isFalse();
    Answer answer = getApplications("Bearer " + token.json().get("access_token").asText());
    assertThat(answer.status()).isEqualTo(403);
    assertThat(answer.json().toString()).isEqualTo("{\"code\":\"auth.forbidden\","
        + "\"message\":\"Forbidden. Please check your user roles and permissions.\"}");
  }

  @Test
  void expireAllTokensRejectsEveryEarlierToken() {
    String before = http.managementToken();
    assertThat(getApplications("Bearer " + before).status()).isEqualTo(200);

    sim.expireAllTokens();

    Answer rejected = getApplications("Bearer " + before);
    assertThat(rejected.status()).isEqualTo(401);
    assertThat(rejected.code()).isEqualTo("auth.unauthorized");
    http.forgetToken();
    assertThat(getApplications("Bearer " + http.managementToken()).status()).isEqualTo(200);
  }

  @Test
  void expiredTokenIs401() {
    sim.setAccessTokenTtl(Duration.ZERO);
    Answer token = http.token(sim.bootstrapAppId(), sim.bootstrapAppSecret(),
        LogtoSimulator.MANAGEMENT_API_RESOURCE, "all");
    assertThat(token.json().get("expires_in").asInt()).isZero();
    Answer answer = getApplications("Bearer " + token.json().get("access_token").asText());
    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.code()).isEqualTo("auth.unauthorized");
  }

  @Test
  void losingTheBuiltInRoleLosesManagementAccess() {
    Answer roles = http.get("/api/applications/" + sim.bootstrapAppId() + "/roles");
    String builtIn = roles.json().get(0).get("id").asText();
    SimHttp.check(http.delete("/api/applications/" + sim.bootstrapAppId() + "/roles/"
        + builtIn), 204);
    Answer token = http.token(sim.bootstrapAppId(), sim.bootstrapAppSecret(),
        LogtoSimulator.MANAGEMENT_API_RESOURCE, "all");
    assertThat(token.status()).isEqualTo(200);
    assertThat(token.json().has("scope")).isFalse();
  }

  @Test
  void unknownRoutesAre404AndWrongMethods405EvenWithoutToken() {
    Answer unknown = http.send("GET", "/api/nothing-here", null, null, null);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().has("code")).isTrue();
    assertThat(unknown.json().has("message")).isTrue();

    Answer wrongMethod = http.send("PUT", "/api/roles", "{}", "application/json", null);
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.header("Allow")).contains("GET", "POST");

    assertThat(http.send("GET", "/", null, null, null).status()).isEqualTo(404);
  }
}
