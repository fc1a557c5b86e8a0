package io.logto.operator.crd.app;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.logto.operator.crd.common.LogtoObjectStatus;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

@JsonInclude(JsonInclude.Include.NON_NULL)
// Fields from a newer CRD version are ignored rather than stopping the informer.
@JsonIgnoreProperties(ignoreUnknown = true)
public class LogtoM2MAppStatus extends LogtoObjectStatus {

  @JsonPropertyDescription("Id (client id) of the application in Logto.")
  private String appId;

  @JsonPropertyDescription("Name of the Secret holding the application's credentials.")
  private String secretName;

  @JsonPropertyDescription(
      "Scope names the app's roles grant, by API resource indicator, as written to the Secret.")
  private Map<String, List<String>> grants = new TreeMap<>();

  @JsonPropertyDescription("The application's secrets: current, previous, rotation under way.")
  private CredentialsStatus credentials;

  public CredentialsStatus getCredentials() {
    return credentials;
  }

  public void setCredentials(CredentialsStatus credentials) {
    this.credentials = credentials;
  }

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

  public Map<String, List<String>> getGrants() {
    return grants;
  }

  public void setGrants(Map<String, List<String>> grants) {
    this.grants = grants == null ? new TreeMap<>() : new TreeMap<>(grants);
  }
}
