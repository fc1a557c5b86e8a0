package io.logto.operator.crd.role;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.logto.operator.crd.common.LogtoObjectStatus;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class LogtoRoleStatus extends LogtoObjectStatus {

  @JsonPropertyDescription("Id of the role in Logto.")
  private String roleId;

  public String getRoleId() {
    return roleId;
  }

  public void setRoleId(String roleId) {
    this.roleId = roleId;
  }
}
