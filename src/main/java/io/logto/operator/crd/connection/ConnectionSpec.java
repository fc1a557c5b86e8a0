package io.logto.operator.crd.connection;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Where a Logto is, shared by both kinds of connection (fields and rule). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.tenantId) && has(self.managementApiResource))",
    message = "set at most one of tenantId or managementApiResource")
@JsonIgnoreProperties(ignoreUnknown = true)
public abstract class ConnectionSpec {

  static final String URL_PATTERN = "^https?://[^\\s/?#]+[^\\s]*$";

  @Required
  @Size(min = 1, max = 256)
  @Pattern(URL_PATTERN)
  @JsonPropertyDescription(
      "Logto's URL: https://<tenant>.logto.app for Logto Cloud (the default endpoint: a custom"
          + " domain cannot reach the Management API), or the core port of a self-hosted Logto.")
  private String endpoint;

  @Size(min = 1, max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription(
      "Tenant id: the Management API is then https://<tenantId>.logto.app/api. Default: default"
          + " (self-hosted Logto).")
  private String tenantId;

  @Size(min = 1, max = 256)
  @Pattern(URL_PATTERN)
  @JsonPropertyDescription("The Management API indicator, instead of tenantId.")
  private String managementApiResource;

  @JsonPropertyDescription("Extra CAs to trust for TLS to Logto.")
  private CaBundleRef caBundle;

  @Min(1)
  @Max(1024)
  @Default("16")
  @JsonPropertyDescription("Bound on this connection's Logto calls in flight (default 16).")
  private Integer maxConcurrentCalls;

  /** The credentials Secret reference of the kind. */
  public abstract CredentialsSecretRef credentials();

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public String getTenantId() {
    return tenantId;
  }

  public void setTenantId(String tenantId) {
    this.tenantId = tenantId;
  }

  public String getManagementApiResource() {
    return managementApiResource;
  }

  public void setManagementApiResource(String managementApiResource) {
    this.managementApiResource = managementApiResource;
  }

  public CaBundleRef getCaBundle() {
    return caBundle;
  }

  public void setCaBundle(CaBundleRef caBundle) {
    this.caBundle = caBundle;
  }

  public Integer getMaxConcurrentCalls() {
    return maxConcurrentCalls;
  }

  public void setMaxConcurrentCalls(Integer maxConcurrentCalls) {
    this.maxConcurrentCalls = maxConcurrentCalls;
  }
}
