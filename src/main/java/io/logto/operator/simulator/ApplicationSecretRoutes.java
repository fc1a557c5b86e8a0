package io.logto.operator.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.logto.operator.simulator.Model.App;
import io.logto.operator.simulator.Model.Secret;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /api/applications/{id}/secrets} (applications/application-secret.ts). */
final class ApplicationSecretRoutes {
  private final ApiContext ctx;
  private final TenantState state;

  ApplicationSecretRoutes(ApiContext ctx) {
    this.ctx = ctx;
    this.state = ctx.state();
  }

  void register(Router router) {
    router.add("GET", "/api/applications/{id}/secrets", this::list);
    router.add("POST", "/api/applications/{id}/secrets", this::create);
    router.add("PATCH", "/api/applications/{id}/secrets/{name}", this::rename);
    router.add("DELETE", "/api/applications/{id}/secrets/{name}", this::delete);
  }

  private Reply list(Request request) {
    App app = state.app(request.param("id"));
    ArrayNode array = Json.array();
    app.secrets.values().forEach(s -> array.add(ctx.views().secret(app, s)));
    return Reply.json(200, array);
  }

  /**
   * {@code {name, expiresAt?}}: an {@code expiresAt} not in the future is 400 {@code
   * request.invalid_input}; a used name 422 {@code application.secret_name_exists}; an unknown
   * application 404 (a foreign key error in Logto).
   */
  private Reply create(Request request) {
    Guard body = Guard.of(request);
    String name = body.requiredString("name", 1, 256);
    Long expiresAt = body.optionalLong("expiresAt", true);
    long now = state.now();
    if (expiresAt != null && expiresAt != 0 && expiresAt <= now) {
      throw Errors.requestInvalidInput("The value of `expiresAt` must be in the future.");
    }
    App app = state.apps.get(request.param("id"));
    if (app == null) {
      throw Errors.foreignKeyNotFound();
    }
    if (app.secrets.containsKey(name)) {
      throw secretNameExists();
    }
    Secret secret = new Secret(name, Ids.secret(), now, expiresAt);
    app.secrets.put(name, secret);
    return Reply.json(201, ctx.views().secret(app, secret));
  }

  /** {@code {name}}: renames a secret; unknown: 404 {@code entity.not_exists}. */
  private Reply rename(Request request) {
    Guard body = Guard.of(request);
    String newName = body.requiredString("name", 1, 256);
    App app = state.apps.get(request.param("id"));
    String oldName = request.param("name");
    Secret secret = app == null ? null : app.secrets.get(oldName);
    if (secret == null) {
      throw Errors.notExists("application_secret");
    }
    if (!newName.equals(oldName) && app.secrets.containsKey(newName)) {
      throw secretNameExists();
    }
    Map<String, Secret> renamed = new LinkedHashMap<>();
    app.secrets.forEach((k, v) -> renamed.put(k.equals(oldName) ? newName : k, v));
    secret.name = newName;
    app.secrets.clear();
    app.secrets.putAll(renamed);
    return Reply.json(200, ctx.views().secret(app, secret));
  }

  private Reply delete(Request request) {
    App app = state.apps.get(request.param("id"));
    if (app == null || app.secrets.remove(request.param("name")) == null) {
      throw Errors.notFound();
    }
    return Reply.noContent();
  }

  private static ApiError secretNameExists() {
    return Errors.of(422, "application.secret_name_exists", "Secret name already exists.");
  }
}
