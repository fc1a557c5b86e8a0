package io.logto.operator.logto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logto.operator.logto.model.ApiResource;
import io.logto.operator.logto.model.Application;
import io.logto.operator.logto.model.NewApiResource;
import io.logto.operator.logto.model.NewApplication;
import io.logto.operator.logto.model.NewRole;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Each class of Logto error, as the reconcilers will see it. */
class LogtoClientErrorsTest extends SimulatorTestBase {

  private static LogtoException thrown(ThrowingCallable call) {
    Throwable[] caught = new Throwable[1];
    assertThatThrownBy(call).isInstanceOfSatisfying(LogtoException.class, e -> caught[0] = e);
    return (LogtoException) caught[0];
  }

  @Test
  void unknownIdsAreNotFound() {
    LogtoException e = thrown(() -> client.getApplication("nope"));
    assertThat(e.status()).isEqualTo(404);
    assertThat(e.code()).isEqualTo("entity.not_exists_with_id");
    assertThat(e.isNotFound()).isTrue();
    assertThat(e.isUnavailable()).isFalse();
    assertThat(thrown(() -> client.deleteRole("nope")).isNotFound()).isTrue();
    // Not found is an answer, not a failure: it is not retried.
    assertThat(count("GET /api/applications/{id}")).isEqualTo(1);
  }

  @Test
  void takenNamesAndIndicatorsAreConflicts() {
    client.createRole(new NewRole("reader", "x", null));
    LogtoException role = thrown(() -> client.createRole(new NewRole("reader", "y", null)));
    assertThat(role.code()).isEqualTo("role.name_in_use");
    assertThat(role.isConflict()).isTrue();

    ApiResource resource =
        client.createApiResource(new NewApiResource("Shop", "https://shop.example", null));
    LogtoException indicator = thrown(() ->
        client.createApiResource(new NewApiResource("Shop 2", "https://shop.example", null)));
    assertThat(indicator.code()).isEqualTo("resource.resource_identifier_in_use");
    assertThat(indicator.isConflict()).isTrue();

    client.createScope(resource.id(), "read", "Read");
    LogtoException scope = thrown(() -> client.createScope(resource.id(), "read", "Again"));
    assertThat(scope.code()).isEqualTo("scope.name_exists");
    assertThat(scope.isConflict()).isTrue();
    assertThat(scope.isInvalidInput()).isFalse();

    Application app = client.createApplication(new NewApplication("app", null, null));
    LogtoException secret =
        thrown(() -> client.createApplicationSecret(app.id(), "Default secret", null));
    assertThat(secret.code()).isEqualTo("application.secret_name_exists");
    assertThat(secret.isConflict()).isTrue();
  }

  @Test
  void refusedPayloadsAreInvalidInput() {
    ApiResource resource =
        client.createApiResource(new NewApiResource("Shop", "https://shop.example", null));
    LogtoException space = thrown(() -> client.createScope(resource.id(), "read all", "x"));
    assertThat(space.status()).isEqualTo(400);
    assertThat(space.code()).isEqualTo("scope.name_with_space");
    assertThat(space.isInvalidInput()).isTrue();

    LogtoException noDescription = thrown(() -> client.createRole(new NewRole("r", null, null)));
    assertThat(noDescription.code()).isEqualTo("guard.invalid_input");
    assertThat(noDescription.isInvalidInput()).isTrue();
    assertThat(noDescription.isConflict()).isFalse();
  }

  @Test
  void aWrongOperatorSecretIsUnauthorizedAndNotRetried() {
    LogtoClient wrong = clientWith(fastOptions(), "not-the-secret");
    LogtoException e = thrown(wrong::listRoles);
    assertThat(e.status()).isEqualTo(401);
    assertThat(e.code()).isEqualTo("oidc.invalid_client");
    assertThat(e.isUnauthorized()).isTrue();
    assertThat(e.getMessage()).doesNotContain("not-the-secret");
    assertThat(logto.tokenRequests()).isEqualTo(1);
    assertThat(logto.managementCalls()).isZero();
    assertThat(operatorTokenRequests).containsExactly(false);
  }

  @Test
  void serverErrorsAreUnavailableOnceRetriesAreSpent() {
    client.listRoles(); // the token is cached: the failures below hit /api only
    logto.failNext(10, 503);
    LogtoException e = thrown(() -> client.getRole("any"));
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.isUnavailable()).isTrue();
    assertThat(count("GET /api/roles/{id}")).isEqualTo(1 + 3);
    assertThat(calls).filteredOn(call -> call.startsWith("GET /api/roles/{id} "))
        .containsExactly("GET /api/roles/{id} 503", "GET /api/roles/{id} 503",
            "GET /api/roles/{id} 503", "GET /api/roles/{id} 503");
  }
}
