package io.logto.operator.crd.app;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.logto.operator.crd.common.LogtoObjectStatus;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class LogtoM2MAppStatus extends LogtoObjectStatus {

  @JsonPropertyDescription("Id (client id) of the application in Logto.")
  private String appId;

  @JsonPropertyDescription("Name of the Secret holding the application's credentials.")
  private String secretName;

  public String getAppId() {
    return appId;
  }

  public void setAppId(String appId) {
    this.appId = appId;
  }

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }
}
