package io.logto.operator.crd.apiresource;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.logto.operator.crd.common.LogtoObjectStatus;
import java.util.Map;
import java.util.TreeMap;

@JsonInclude(JsonInclude.Include.NON_NULL)
// Fields from a newer CRD version are ignored rather than stopping the informer.
@JsonIgnoreProperties(ignoreUnknown = true)
public class LogtoApiResourceStatus extends LogtoObjectStatus {

  @JsonPropertyDescription("Id of the API resource in Logto.")
  private String resourceId;

  @JsonPropertyDescription("Logto scope ids by scope name.")
  private Map<String, String> scopeIds = new TreeMap<>();

  @JsonPropertyDescription("Name of the ConfigMap written for the API's service.")
  private String configMapName;

  public String getResourceId() {
    return resourceId;
  }

  public void setResourceId(String resourceId) {
    this.resourceId = resourceId;
  }

  public Map<String, String> getScopeIds() {
    return scopeIds;
  }

  public void setScopeIds(Map<String, String> scopeIds) {
    this.scopeIds = scopeIds == null ? new TreeMap<>() : new TreeMap<>(scopeIds);
  }

  public String getConfigMapName() {
    return configMapName;
  }

  public void setConfigMapName(String configMapName) {
    this.configMapName = configMapName;
  }
}
