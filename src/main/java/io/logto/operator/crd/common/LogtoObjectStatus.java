package io.logto.operator.crd.common;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Status fields shared by the three kinds. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// Fields from a newer CRD version are ignored rather than stopping the informer.
@JsonIgnoreProperties(ignoreUnknown = true)
public abstract class LogtoObjectStatus {

  @JsonPropertyDescription("The metadata.generation that the conditions describe.")
  private Long observedGeneration;

  @JsonPropertyDescription("Current state: Ready, and for LogtoM2MApp CredentialsVerified.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription(
      "Hash of the desired Logto state last applied; a reconcile with the same hash and"
          + " generation skips Logto.")
  private String appliedHash;

  @JsonPropertyDescription(
      "Set just before the operator creates the Logto object, so that after a crash between the"
          + " create call and the status write the object is adopted rather than created twice.")
  private String pendingCreate;

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

  public String getAppliedHash() {
    return appliedHash;
  }

  public void setAppliedHash(String appliedHash) {
    this.appliedHash = appliedHash;
  }

  public String getPendingCreate() {
    return pendingCreate;
  }

  public void setPendingCreate(String pendingCreate) {
    this.pendingCreate = pendingCreate;
  }
}
