package io.logto.operator.crd.role;

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
public class LogtoRoleStatus extends LogtoObjectStatus {

  @JsonPropertyDescription("Id of the role in Logto.")
  private String roleId;

  @JsonPropertyDescription(
      "Scope names the role holds, by API resource indicator, as last applied to Logto.")
  private Map<String, List<String>> grants = new TreeMap<>();

  public String getRoleId() {
    return roleId;
  }

  public void setRoleId(String roleId) {
    this.roleId = roleId;
  }

  public Map<String, List<String>> getGrants() {
    return grants;
  }

  public void setGrants(Map<String, List<String>> grants) {
    this.grants = grants == null ? new TreeMap<>() : new TreeMap<>(grants);
  }
}
