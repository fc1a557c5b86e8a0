package io.logto.operator.crd.role;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.logto.operator.crd.common.LocalObjectReference;
import java.util.ArrayList;
import java.util.List;

/** Scopes of one API resource, named either by a LogtoApiResource or by its indicator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.resourceRef) != has(self.indicator)",
    message = "set exactly one of resourceRef or indicator")
public class RolePermission {

  @JsonPropertyDescription("A LogtoApiResource in the same namespace.")
  private LocalObjectReference resourceRef;

  @Size(min = 1, max = 256)
  @Pattern("^https?://[^\\s/?#]+[^\\s]*$")
  @JsonPropertyDescription(
      "Indicator of an API resource that exists in Logto without a LogtoApiResource, such as"
          + " the Management API https://default.logto.app/api. Allowed only from namespaces on"
          + " the operator's allowlist.")
  private String indicator;

  @Required
  @Size(min = 1, max = 200)
  @ValidationRule(
      value = "self.all(s, s.matches('^\\\\S+$') && size(s) <= 256)",
      message = "scope names must be non-empty and without whitespace")
  @ValidationRule(
      value = "self.all(x, self.exists_one(y, y == x))",
      message = "scope names must be unique")
  @JsonPropertyDescription("Names of the scopes of that API resource the role holds.")
  private List<String> scopes = new ArrayList<>();

  public LocalObjectReference getResourceRef() {
    return resourceRef;
  }

  public void setResourceRef(LocalObjectReference resourceRef) {
    this.resourceRef = resourceRef;
  }

  public String getIndicator() {
    return indicator;
  }

  public void setIndicator(String indicator) {
    this.indicator = indicator;
  }

  public List<String> getScopes() {
    return scopes;
  }

  public void setScopes(List<String> scopes) {
    this.scopes = scopes == null ? new ArrayList<>() : scopes;
  }
}
