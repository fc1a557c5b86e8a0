package io.logto.operator.crd.apiresource;

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
import io.logto.operator.crd.common.DeletionPolicy;
import io.logto.operator.crd.common.ConnectedSpec;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
// Fields from a newer CRD version are ignored rather than stopping the informer.
@JsonIgnoreProperties(ignoreUnknown = true)
public class LogtoApiResourceSpec extends ConnectedSpec {

  @Size(min = 1, max = 128)
  @JsonPropertyDescription("Display name in Logto. Defaults to metadata.name.")
  private String name;

  @Required
  @Size(min = 1, max = 256)
  @Pattern("^https?://[^\\s/?#]+[^\\s]*$")
  @ValidationRule(value = "self == oldSelf", message = "indicator is immutable")
  @JsonPropertyDescription(
      "API identifier: an absolute http(s) URI such as https://shopping.api. It becomes the"
          + " audience of access tokens and cannot be changed.")
  private String indicator;

  @Min(1)
  @Max(2592000)
  @JsonPropertyDescription(
      "Lifetime in seconds of access tokens issued for this API. Logto's default is 3600.")
  private Integer accessTokenTtl;

  // Uniqueness of names is checked by the operator: a CEL rule comparing every pair would exceed
  // the API server's cost budget for CRD validation.
  @Size(max = 200)
  @JsonPropertyDescription("Permissions (scopes) of this API; names must be unique.")
  private List<ApiScope> scopes = new ArrayList<>();

  @JsonPropertyDescription(
      "ConfigMap written for the service behind the indicator (issuer, JWKS URI, audience,"
          + " scopes).")
  private ConfigMapTarget configMap;

  @Default("Delete")
  @JsonPropertyDescription(
      "Delete (default) removes the API resource from Logto when this object is deleted;"
          + " Retain leaves it.")
  private DeletionPolicy deletionPolicy;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getIndicator() {
    return indicator;
  }

  public void setIndicator(String indicator) {
    this.indicator = indicator;
  }

  public Integer getAccessTokenTtl() {
    return accessTokenTtl;
  }

  public void setAccessTokenTtl(Integer accessTokenTtl) {
    this.accessTokenTtl = accessTokenTtl;
  }

  public List<ApiScope> getScopes() {
    return scopes;
  }

  public void setScopes(List<ApiScope> scopes) {
    this.scopes = scopes == null ? new ArrayList<>() : scopes;
  }

  public ConfigMapTarget getConfigMap() {
    return configMap;
  }

  public void setConfigMap(ConfigMapTarget configMap) {
    this.configMap = configMap;
  }

  public DeletionPolicy getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }
}
