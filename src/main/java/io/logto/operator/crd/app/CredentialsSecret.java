package io.logto.operator.crd.app;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Secret written with the application's credentials. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// Fields from a newer CRD version are ignored rather than stopping the informer.
@JsonIgnoreProperties(ignoreUnknown = true)
public class CredentialsSecret {

  @Size(min = 1, max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("Secret name. Defaults to <metadata.name>-logto-credentials.")
  private String name;

  @ValidationRule(
      value =
          "self.all(k, k in ['LOGTO_ENDPOINT', 'LOGTO_TOKEN_ENDPOINT', 'LOGTO_APP_ID',"
              + " 'LOGTO_APP_SECRET', 'LOGTO_APP_SECRET_PREVIOUS', 'LOGTO_RESOURCE',"
              + " 'LOGTO_SCOPES'])",
      message =
          "keys may rename only LOGTO_ENDPOINT, LOGTO_TOKEN_ENDPOINT, LOGTO_APP_ID,"
              + " LOGTO_APP_SECRET, LOGTO_APP_SECRET_PREVIOUS, LOGTO_RESOURCE and LOGTO_SCOPES")
  @ValidationRule(
      value = "self.all(k, self[k].matches('^[-._a-zA-Z0-9]+$'))",
      message = "renamed keys must be valid Secret keys")
  @JsonPropertyDescription(
      "Renames of the default keys, e.g. LOGTO_APP_ID: CLIENT_ID. Keys not listed keep their"
          + " default name.")
  @Size(max = 7)
  private Map<String, @Size(min = 1, max = 253) String> keys = new LinkedHashMap<>();

  @JsonPropertyDescription("Extra labels on the Secret.")
  private Map<String, String> labels = new LinkedHashMap<>();

  @JsonPropertyDescription("Extra annotations on the Secret.")
  private Map<String, String> annotations = new LinkedHashMap<>();

  @JsonPropertyDescription(
      "Replace the application's secret on a schedule; the previous one stays valid for a"
          + " grace period. The m2m.logto.io/rotate annotation rotates on demand either way.")
  private SecretRotation rotation;

  @Size(max = 20)
  @JsonPropertyDescription(
      "Deployments and StatefulSets in this namespace whose pods read the Secret through env:"
          + " after each rotation their pod template gets the annotation"
          + " m2m.logto.io/credentials, which rolls them out (needs the chart's"
          + " rolloutRestart.enabled).")
  private List<WorkloadReference> rolloutRestart = new ArrayList<>();

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Map<String, String> getKeys() {
    return keys;
  }

  public void setKeys(Map<String, String> keys) {
    this.keys = keys == null ? new LinkedHashMap<>() : keys;
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels == null ? new LinkedHashMap<>() : labels;
  }

  public SecretRotation getRotation() {
    return rotation;
  }

  public void setRotation(SecretRotation rotation) {
    this.rotation = rotation;
  }

  public List<WorkloadReference> getRolloutRestart() {
    return rolloutRestart;
  }

  public void setRolloutRestart(List<WorkloadReference> rolloutRestart) {
    this.rolloutRestart = rolloutRestart == null ? new ArrayList<>() : rolloutRestart;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations == null ? new LinkedHashMap<>() : annotations;
  }
}
