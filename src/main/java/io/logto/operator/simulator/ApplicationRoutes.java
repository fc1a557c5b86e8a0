package io.logto.operator.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logto.operator.simulator.Model.App;
import io.logto.operator.simulator.Model.Secret;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code /api/applications} and {@code /api/applications/{id}} (applications/application.ts,
 * application-custom-data.ts).
 */
final class ApplicationRoutes {
  static final List<String> TYPES =
      List.of("Native", "SPA", "Traditional", "MachineToMachine", "Protected", "SAML");
  private static final List<String> SEARCH_FIELDS = List.of("id", "name", "description");
  private static final Set<String> TYPES_WITH_SECRETS =
      Set.of("Traditional", "MachineToMachine", "Protected");

  private final ApiContext ctx;
  private final TenantState state;

  ApplicationRoutes(ApiContext ctx) {
    this.ctx = ctx;
    this.state = ctx.state();
  }

  void register(Router router) {
    router.add("GET", "/api/applications", this::list);
    router.add("POST", "/api/applications", this::create);
    router.add("GET", "/api/applications/{id}", this::get);
    router.add("PATCH", "/api/applications/{id}", this::patch);
    router.add("DELETE", "/api/applications/{id}", this::delete);
    router.add("PATCH", "/api/applications/{id}/custom-data", this::patchCustomData);
  }

  /**
   * Optional pagination; {@code types} repeated or single (a comma list is not a type: 400, as in
   * Logto); {@code excludeRoleId}; {@code isThirdParty}; search on id, name, description; newest
   * first.
   */
  private Reply list(Request request) {
    Pagination pagination = Pagination.parse(request, true);
    List<String> types = request.queryAll("types");
    for (String type : types) {
      if (!TYPES.contains(type)) {
        throw Errors.invalidInput("query", "Error in key path \"types\": (invalid_union) "
            + "Invalid input");
      }
    }
    String isThirdParty = request.queryFirst("isThirdParty");
    if (isThirdParty != null && !isThirdParty.equals("true") && !isThirdParty.equals("false")) {
      throw Errors.invalidInput("query", "Error in key path \"isThirdParty\": (invalid_union) "
          + "Invalid input");
    }
    String excludeRoleId = request.queryFirst("excludeRoleId");
    if (excludeRoleId != null && request.queryFirst("excludeOrganizationId") != null) {
      throw Errors.requestInvalidInput("Parameter `excludeRoleId` and `excludeOrganizationId` "
          + "cannot be used at the same time.");
    }
    SearchFilter search = SearchFilter.parse(request, SEARCH_FIELDS);
    Set<String> excluded = excludeRoleId == null ? Set.of()
        : new HashSet<>(state.appRoles.lefts(excludeRoleId));
    List<App> apps = state.appsNewestFirst().stream()
        .filter(a -> types.isEmpty() || types.contains(a.type))
        .filter(a -> !excluded.contains(a.id))
        .filter(a -> isThirdParty == null || a.isThirdParty == isThirdParty.equals("true"))
        .filter(a -> search.test(a, SEARCH_FIELDS, ApplicationRoutes::field))
        .toList();
    return ctx.page(request, pagination, apps, ctx.views()::app);
  }

  static Function<App, String> field(String name) {
    return switch (name) {
      case "id" -> a -> a.id;
      case "name" -> a -> a.name;
      default -> a -> a.description;
    };
  }

  private Reply create(Request request) {
    Guard body = Guard.of(request);
    String name = body.requiredString("name", 1, 256);
    String type = body.requiredEnum("type", TYPES);
    String description = body.nullableString("description", 0, Integer.MAX_VALUE);
    ObjectNode customData = body.optionalObject("customData");
    ObjectNode oidcClientMetadata = body.optionalObject("oidcClientMetadata");
    ObjectNode customClientMetadata = body.optionalObject("customClientMetadata");
    Boolean isThirdParty = body.optionalBoolean("isThirdParty");
    body.optionalObject("protectedAppMetadata");
    if (type.equals("Protected")) {
      throw body.has("protectedAppMetadata")
          ? Errors.of(501, "application.protected_app_not_configured", "Protected app provider "
              + "is not configured. This feature is not available for open source version.")
          : Errors.of(400, "application.protected_app_metadata_is_required",
              "Protected app metadata is required.");
    }
    if (type.equals("SAML")) {
      throw Errors.of(400, "application.saml.use_saml_app_api",
          "Use `[METHOD] /saml-applications(/.*)?` API to operate SAML app.");
    }
    if (Boolean.TRUE.equals(isThirdParty) && !type.equals("Traditional")) {
      throw Errors.of(400, "application.invalid_third_party_application_type",
          "Only traditional web applications can be marked as a third-party app.");
    }
    long now = state.now();
    App app = new App(Ids.id(), type, name, now, state.nextSeq());
    app.description = description;
    app.isThirdParty = Boolean.TRUE.equals(isThirdParty);
    if (customData != null) {
      app.customData = customData.deepCopy();
    }
    if (oidcClientMetadata != null) {
      app.oidcClientMetadata.setAll(oidcClientMetadata.deepCopy());
    }
    if (customClientMetadata != null) {
      app.customClientMetadata = customClientMetadata.deepCopy();
    }
    if (TYPES_WITH_SECRETS.contains(type)) {
      app.secrets.put("Default secret", new Secret("Default secret", Ids.secret(), now, null));
    }
    state.apps.put(app.id, app);
    return Reply.json(200, ctx.views().app(app));
  }

  private Reply get(Request request) {
    return Reply.json(200, ctx.views().appDetail(state.app(request.param("id"))));
  }

  /**
   * Updates name, description, customData, oidcClientMetadata, customClientMetadata. Like Logto
   * (jsonb "merge" mode), JSON fields are merged shallowly into the stored ones, not replaced.
   */
  private Reply patch(Request request) {
    String id = request.param("id");
    Guard body = Guard.of(request);
    String name = body.optionalString("name", 1, 256);
    String description = body.nullableString("description", 0, Integer.MAX_VALUE);
    ObjectNode customData = body.optionalObject("customData");
    ObjectNode oidcClientMetadata = body.optionalObject("oidcClientMetadata");
    ObjectNode customClientMetadata = body.optionalObject("customClientMetadata");
    body.optionalBoolean("isAdmin");
    boolean updates = name != null || body.has("description") || customData != null
        || oidcClientMetadata != null || customClientMetadata != null;
    App app = state.apps.get(id);
    if (app == null) {
      throw updates ? Errors.notExists("application") : Errors.notExistsWithId("applications", id);
    }
    if (name != null) {
      app.name = name;
    }
    if (body.has("description")) {
      app.description = description;
    }
    if (customData != null) {
      app.customData.setAll(customData.deepCopy());
    }
    if (oidcClientMetadata != null) {
      app.oidcClientMetadata.setAll(oidcClientMetadata.deepCopy());
    }
    if (customClientMetadata != null) {
      app.customClientMetadata.setAll(customClientMetadata.deepCopy());
    }
    return Reply.json(200, ctx.views().app(app));
  }

  /** Deletes the application with its secrets and role assignments. */
  private Reply delete(Request request) {
    App app = state.app(request.param("id"));
    state.deleteApp(app.id);
    return Reply.noContent();
  }

  /** Merges the body into customData (Logto's jsonb merge) and answers the result. */
  private Reply patchCustomData(Request request) {
    Guard body = Guard.of(request);
    App app = state.apps.get(request.param("id"));
    if (app == null) {
      throw Errors.notExists("application");
    }
    app.customData.setAll(body.raw().deepCopy());
    return Reply.json(200, app.customData.deepCopy());
  }
}
