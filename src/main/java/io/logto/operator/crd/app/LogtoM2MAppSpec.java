package io.logto.operator.crd.app;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.logto.operator.crd.common.DeletionPolicy;
import io.logto.operator.crd.common.ConnectedSpec;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
// Fields from a newer CRD version are ignored rather than stopping the informer.
@JsonIgnoreProperties(ignoreUnknown = true)
public class LogtoM2MAppSpec extends ConnectedSpec {

  @Size(min = 1, max = 256)
  @JsonPropertyDescription("Application name in Logto. Defaults to metadata.name.")
  private String name;

  @Size(max = 2048)
  @JsonPropertyDescription("Application description in Logto.")
  private String description;

  @Size(max = 100)
  @JsonPropertyDescription("Machine-to-machine roles assigned to the application.")
  private List<AppRoleAssignment> roles = new ArrayList<>();

  @JsonPropertyDescription("The Kubernetes Secret that receives the application's credentials.")
  private CredentialsSecret secret;

  @Default("Delete")
  @JsonPropertyDescription(
      "Delete (default) removes the application from Logto when this object is deleted; Retain"
          + " leaves it (its Secret is removed either way).")
  private DeletionPolicy deletionPolicy;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getDescription() {
    return description;
  }

  public void setDescription(String description) {
    this.description = description;
  }

  public List<AppRoleAssignment> getRoles() {
    return roles;
  }

  public void setRoles(List<AppRoleAssignment> roles) {
    this.roles = roles == null ? new ArrayList<>() : roles;
  }

  public CredentialsSecret getSecret() {
    return secret;
  }

  public void setSecret(CredentialsSecret secret) {
    this.secret = secret;
  }

  public DeletionPolicy getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }
}
