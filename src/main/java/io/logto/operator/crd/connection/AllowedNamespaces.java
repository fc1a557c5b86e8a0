package io.logto.operator.crd.connection;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.List;

/** The namespaces whose objects may use a ClusterLogtoConnection: listed, or selected by label. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class AllowedNamespaces {

  @Size(max = 256)
  @JsonPropertyDescription("Namespaces by name.")
  private List<@Size(min = 1, max = 63) @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$") String> names =
      new ArrayList<>();

  @JsonPropertyDescription("Namespaces by their labels (an empty selector selects every one).")
  private LabelSelector selector;

  public List<String> getNames() {
    return names;
  }

  public void setNames(List<String> names) {
    this.names = names == null ? new ArrayList<>() : names;
  }

  public LabelSelector getSelector() {
    return selector;
  }

  public void setSelector(LabelSelector selector) {
    this.selector = selector;
  }
}
