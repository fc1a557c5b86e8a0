package io.logto.operator.crd.role;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
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
// Fields from a newer CRD version are ignored rather than stopping the informer.
@JsonIgnoreProperties(ignoreUnknown = true)
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

  // Uniqueness is checked by the operator: a CEL rule comparing every pair would exceed the API
  // server's cost budget for CRD validation.
  @Required
  @Size(min = 1, max = 100)
  @JsonPropertyDescription(
      "Names of the scopes of that API resource the role holds (unique, no whitespace).")
  private List<@Size(min = 1, max = 256) @Pattern("^\\S+$") String> scopes = new ArrayList<>();

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
