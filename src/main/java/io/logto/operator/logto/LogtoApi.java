package io.logto.operator.logto;

import io.logto.operator.logto.model.ApiResource;
import io.logto.operator.logto.model.ApiResourceUpdate;
import io.logto.operator.logto.model.Application;
import io.logto.operator.logto.model.ApplicationSecret;
import io.logto.operator.logto.model.ApplicationUpdate;
import io.logto.operator.logto.model.NewApiResource;
import io.logto.operator.logto.model.NewApplication;
import io.logto.operator.logto.model.NewRole;
import io.logto.operator.logto.model.Role;
import io.logto.operator.logto.model.RoleUpdate;
import io.logto.operator.logto.model.Scope;
import io.logto.operator.logto.model.TokenGrant;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The operations of the Logto Management API that the operator uses. Every method throws {@link
 * LogtoException} when Logto answers with an error (after retries of 429 and 5xx). List methods
 * read every page. It is an interface so that tests can wrap it to inject faults.
 */
public interface LogtoApi {

  // Applications (packages/core/src/routes/applications/application.ts)

  /** Creates a MachineToMachine application. */
  Application createApplication(NewApplication application);

  Application getApplication(String id);

  /** All MachineToMachine applications, read page by page. */
  List<Application> listApplications();

  Application updateApplication(String id, ApplicationUpdate update);

  void deleteApplication(String id);

  // Application roles (applications/application-role.ts)

  List<Role> listApplicationRoles(String applicationId);

  /**
   * Assigns roles in one call. Copes with Logto versions that answer 422 {@code
   * application.role_exists} when one of them is already assigned.
   */
  void assignApplicationRoles(String applicationId, Collection<String> roleIds);

  void removeApplicationRole(String applicationId, String roleId);

  // Application secrets (applications/application-secret.ts)

  List<ApplicationSecret> listApplicationSecrets(String applicationId);

  /** Creates a named secret; {@code expiresAt} may be null for no expiry. */
  ApplicationSecret createApplicationSecret(String applicationId, String name, Instant expiresAt);

  void deleteApplicationSecret(String applicationId, String name);

  // Roles (role.ts, role.scope.ts, role.application.ts)

  /** Creates a MachineToMachine role holding the given scopes, in one call. */
  Role createRole(NewRole role);

  Role getRole(String id);

  /** The role with exactly this name (any type), if one exists. */
  Optional<Role> findRoleByName(String name);

  /** All MachineToMachine roles, read page by page. */
  List<Role> listRoles();

  Role updateRole(String id, RoleUpdate update);

  void deleteRole(String id);

  /** Scopes of a role, each with its owning resource. */
  List<Scope> listRoleScopes(String roleId);

  void addRoleScopes(String roleId, Collection<String> scopeIds);

  void removeRoleScope(String roleId, String scopeId);

  /** Applications holding the role, read page by page. */
  List<Application> listRoleApplications(String roleId);

  // API resources (resource.ts, resource.scope.ts)

  ApiResource createApiResource(NewApiResource resource);

  ApiResource getApiResource(String id);

  /** The resource with exactly this indicator, with its scopes, if one exists. */
  Optional<ApiResource> findApiResourceByIndicator(String indicator);

  /** All API resources with their scopes, read page by page. */
  List<ApiResource> listApiResources();

  ApiResource updateApiResource(String id, ApiResourceUpdate update);

  void deleteApiResource(String id);

  List<Scope> listScopes(String resourceId);

  Scope createScope(String resourceId, String name, String description);

  Scope updateScope(String resourceId, String scopeId, String name, String description);

  void deleteScope(String resourceId, String scopeId);

  // Tokens

  /**
   * Client credentials grant for any application (not the operator's own token): used to verify
   * that an application's credentials work and which scopes they are granted.
   */
  TokenGrant requestToken(
      String appId, String appSecret, String resource, Collection<String> scopes);
}
