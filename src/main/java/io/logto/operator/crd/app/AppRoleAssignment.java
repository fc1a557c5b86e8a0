package io.logto.operator.crd.app;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.logto.operator.crd.common.LocalObjectReference;

/** A role of the application, named either by a LogtoRole or by its name in Logto. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.roleRef) != has(self.logtoRoleName)",
    message = "set exactly one of roleRef or logtoRoleName")
// Fields from a newer CRD version are ignored rather than stopping the informer.
@JsonIgnoreProperties(ignoreUnknown = true)
public class AppRoleAssignment {

  @JsonPropertyDescription("A LogtoRole in the same namespace.")
  private LocalObjectReference roleRef;

  @Size(min = 1, max = 128)
  @JsonPropertyDescription(
      "Name of a machine-to-machine role that exists in Logto without a LogtoRole, such as"
          + " \"Logto Management API access\". Allowed only from namespaces on the operator's"
          + " allowlist.")
  private String logtoRoleName;

  public LocalObjectReference getRoleRef() {
    return roleRef;
  }

  public void setRoleRef(LocalObjectReference roleRef) {
    this.roleRef = roleRef;
  }

  public String getLogtoRoleName() {
    return logtoRoleName;
  }

  public void setLogtoRoleName(String logtoRoleName) {
    this.logtoRoleName = logtoRoleName;
  }
}
