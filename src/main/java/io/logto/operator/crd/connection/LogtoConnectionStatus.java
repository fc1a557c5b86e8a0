package io.logto.operator.crd.connection;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Whether the operator can use the connection, as it last found out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class LogtoConnectionStatus {

  @JsonPropertyDescription("The metadata.generation that the conditions describe.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Ready: Connected (an operator token was obtained), Unauthorized, Unreachable,"
          + " InvalidSpec or WaitingForDependency (the credentials Secret).")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The Management API indicator in use.")
  private String managementApiResource;

  @JsonPropertyDescription("When the operator last obtained a Management API token (RFC 3339).")
  private String lastTokenTime;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : conditions;
  }

  public String getManagementApiResource() {
    return managementApiResource;
  }

  public void setManagementApiResource(String managementApiResource) {
    this.managementApiResource = managementApiResource;
  }

  public String getLastTokenTime() {
    return lastTokenTime;
  }

  public void setLastTokenTime(String lastTokenTime) {
    this.lastTokenTime = lastTokenTime;
  }
}
