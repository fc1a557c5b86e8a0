package io.logto.operator.crd.connection;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A ConfigMap holding extra PEM certificates to trust for TLS to Logto (a private CA), in the
 * namespace of the connection's credentials Secret.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class CaBundleRef {

  @Required
  @Size(min = 1, max = 253)
  @Pattern(CredentialsSecretRef.NAME_PATTERN)
  @JsonPropertyDescription("Name of the ConfigMap, in the credentials Secret's namespace.")
  private String configMapName;

  @Size(min = 1, max = 253)
  @Pattern(CredentialsSecretRef.KEY_PATTERN)
  @Default("ca.crt")
  @JsonPropertyDescription("Key of the PEM bundle (default ca.crt).")
  private String key;

  public String getConfigMapName() {
    return configMapName;
  }

  public void setConfigMapName(String configMapName) {
    this.configMapName = configMapName;
  }

  public String getKey() {
    return key == null ? "ca.crt" : key;
  }

  public void setKey(String key) {
    this.key = key;
  }
}
