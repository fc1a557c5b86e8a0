package io.logto.operator.crd.app;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** When the application's secret is replaced, and how long the previous one stays valid. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.period) || duration(self.period) >= duration('1m')",
    message = "period must be at least 1m")
@ValidationRule(
    value = "!has(self.period) || !has(self.gracePeriod)"
        + " || duration(self.gracePeriod) < duration(self.period)",
    message = "gracePeriod (default 24h) must be shorter than period")
// Fields from a newer CRD version are ignored rather than stopping the informer.
@JsonIgnoreProperties(ignoreUnknown = true)
public class SecretRotation {

  /** A Kubernetes duration: one or more of a number and a unit, e.g. 720h or 1h30m. */
  public static final String DURATION_PATTERN = "^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+$";

  @Size(max = 32)
  @Pattern(DURATION_PATTERN)
  @JsonPropertyDescription(
      "Rotate the secret this often, e.g. 720h (at least 1m). Unset: no scheduled rotation"
          + " (the m2m.logto.io/rotate annotation still rotates on demand).")
  private String period;

  @Size(max = 32)
  @Pattern(DURATION_PATTERN)
  @Default("24h")
  @JsonPropertyDescription(
      "How long the previous secret stays valid in Logto after the new one is in the Secret"
          + " (default 24h; 0s deletes it at once). Shorter than period.")
  private String gracePeriod;

  @JsonPropertyDescription(
      "Also delete the application's secrets that the operator neither created nor handed out"
          + " in the Secret, e.g. ones made in the Console. Default false: they are left alone.")
  private Boolean removeOthers;

  public String getPeriod() {
    return period;
  }

  public void setPeriod(String period) {
    this.period = period;
  }

  public String getGracePeriod() {
    return gracePeriod;
  }

  public void setGracePeriod(String gracePeriod) {
    this.gracePeriod = gracePeriod;
  }

  public Boolean getRemoveOthers() {
    return removeOthers;
  }

  public void setRemoveOthers(Boolean removeOthers) {
    this.removeOthers = removeOthers;
  }
}
