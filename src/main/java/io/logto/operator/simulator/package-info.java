/**
 * An in-process Logto simulator ({@link io.logto.operator.simulator.LogtoSimulator}) for tests,
 * the sandbox and the benchmark: {@code /oidc/token} (client credentials), {@code /oidc/jwks}, a
 * minimal discovery document, and the Management API routes the operator uses, with Logto's
 * paths, payloads, statuses and error codes as read from Logto's source (v1.42 where versions
 * differ; the v1.37 role assignment and secret field are switchable).
 *
 * <p>It shares no classes with the operator's Logto client on purpose: its JSON is built here, from
 * the field names of the recorded samples.
 *
 * <p>Behaviour worth knowing (as in Logto):
 *
 * <ul>
 *   <li>{@code GET /api/roles}, {@code /api/applications/{id}/roles}, {@code
 *       /api/roles/{id}/applications} and {@code /api/resources/{id}/scopes} are always paginated
 *       (20 per page when not asked); {@code /api/applications}, {@code /api/resources} and {@code
 *       /api/roles/{id}/scopes} only when {@code page} or {@code page_size} is given. At most 100
 *       per page.
 *   <li>{@code search} is SQL LIKE (case-insensitive): {@code search=%25shop%25} for a substring.
 *   <li>{@code PATCH} of an application merges {@code customData} shallowly; keys cannot be
 *       removed.
 *   <li>{@code POST /api/roles} with an unknown scope id answers 404 but the role stays created.
 *   <li>A token for another resource is 401 on {@code /api} (audience is checked with the
 *       signature); a Management API token without {@code all} is 403.
 *   <li>Deleting a relation that does not exist is 404 {@code entity.not_found}.
 * </ul>
 *
 * <p>Not covered: users, organizations, SAML and Protected apps (rejected), sign-in experience,
 * hooks, logs, other grant types (authorization code, refresh, token exchange), the {@code
 * legacy-secret} route, {@code excludeUserId}, quotas, and Logto's full zod messages (codes and
 * statuses match; {@code details} texts are approximate).
 */
package io.logto.operator.simulator;
