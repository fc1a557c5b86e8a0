package io.logto.operator.logto;

import java.net.URI;
import java.util.Objects;

/**
 * Where Logto is and how the operator authenticates to its Management API.
 *
 * @param endpoint Logto's base URL, e.g. {@code https://tenant.logto.app} or {@code
 *     http://logto:3001} (for Logto Cloud, the default endpoint: custom domains cannot reach the
 *     Management API)
 * @param managementApiResource the Management API indicator, {@code https://{tenantId}.logto.app/api}
 * @param appId App ID of the operator's own M2M application
 * @param appSecret App Secret of that application; never printed
 */
public record LogtoConnection(
    URI endpoint, String managementApiResource, String appId, String appSecret) {

  /** Tenant id of a self-hosted (open source) Logto. */
  public static final String SELF_HOSTED_TENANT = "default";

  public LogtoConnection {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(managementApiResource, "managementApiResource");
    Objects.requireNonNull(appId, "appId");
    Objects.requireNonNull(appSecret, "appSecret");
    String text = endpoint.toString();
    if (text.endsWith("/")) {
      endpoint = URI.create(text.substring(0, text.length() - 1));
    }
  }

  /** The Management API indicator of a tenant: {@code https://{tenantId}.logto.app/api}. */
  public static String managementApiResourceOf(String tenantId) {
    return "https://" + tenantId + ".logto.app/api";
  }

  /** {@code {endpoint}/oidc}: the issuer of Logto's access tokens. */
  public String issuer() {
    return endpoint + "/oidc";
  }

  public String tokenEndpoint() {
    return endpoint + "/oidc/token";
  }

  public String jwksUri() {
    return endpoint + "/oidc/jwks";
  }

  @Override
  public String toString() {
    return "LogtoConnection[endpoint=" + endpoint + ", managementApiResource="
        + managementApiResource + ", appId=" + appId + ", appSecret=***]";
  }
}
