package io.logto.operator.crd.apiresource;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One permission of an API resource. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// Fields from a newer CRD version are ignored rather than stopping the informer.
@JsonIgnoreProperties(ignoreUnknown = true)
public class ApiScope {

  @Required
  @Size(min = 1, max = 256)
  @Pattern("^\\S+$")
  @JsonPropertyDescription("Scope name, such as read:products. No whitespace.")
  private String name;

  @Size(max = 256)
  @JsonPropertyDescription("What the permission allows.")
  private String description;

  public ApiScope() {}

  public ApiScope(String name, String description) {
    this.name = name;
    this.description = description;
  }

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
}
