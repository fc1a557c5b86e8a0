package io.logto.operator.crd.role;

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
public class LogtoRoleSpec extends ConnectedSpec {

  @Size(min = 1, max = 128)
  @JsonPropertyDescription(
      "Role name in Logto, unique in the tenant. Defaults to metadata.name.")
  private String name;

  @Size(min = 1, max = 128)
  @JsonPropertyDescription(
      "Role description (Logto requires one; defaults to a text naming this object).")
  private String description;

  @Size(max = 100)
  @JsonPropertyDescription("Permissions the role holds, grouped by API resource.")
  private List<RolePermission> permissions = new ArrayList<>();

  @Default("Delete")
  @JsonPropertyDescription(
      "Delete (default) removes the role from Logto when this object is deleted; Retain leaves"
          + " it.")
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

  public List<RolePermission> getPermissions() {
    return permissions;
  }

  public void setPermissions(List<RolePermission> permissions) {
    this.permissions = permissions == null ? new ArrayList<>() : permissions;
  }

  public DeletionPolicy getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }
}
