package io.logto.operator.crd.connection;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The Secret holding the App ID and App Secret of the operator's M2M app in that Logto. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class CredentialsSecretRef {

  static final String NAME_PATTERN = "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$";
  static final String KEY_PATTERN = "^[-._a-zA-Z0-9]+$";

  @Required
  @Size(min = 1, max = 253)
  @Pattern(NAME_PATTERN)
  @JsonPropertyDescription("Name of the Secret.")
  private String name;

  @Size(min = 1, max = 253)
  @Pattern(KEY_PATTERN)
  @Default("appId")
  @JsonPropertyDescription("Key of the App ID (default appId).")
  private String appIdKey;

  @Size(min = 1, max = 253)
  @Pattern(KEY_PATTERN)
  @Default("appSecret")
  @JsonPropertyDescription("Key of the App Secret (default appSecret).")
  private String appSecretKey;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getAppIdKey() {
    return appIdKey == null ? "appId" : appIdKey;
  }

  public void setAppIdKey(String appIdKey) {
    this.appIdKey = appIdKey;
  }

  public String getAppSecretKey() {
    return appSecretKey == null ? "appSecret" : appSecretKey;
  }

  public void setAppSecretKey(String appSecretKey) {
    this.appSecretKey = appSecretKey;
  }
}
