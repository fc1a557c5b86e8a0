package io.logto.operator.crd.connection;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class LogtoConnectionSpec extends ConnectionSpec {

  @Required
  @JsonPropertyDescription(
      "The Secret, in this namespace, with the App ID and App Secret of an M2M app holding the"
          + " role Logto Management API access.")
  private CredentialsSecretRef credentialsSecretRef;

  @Override
  @JsonIgnore
  public CredentialsSecretRef credentials() {
    return credentialsSecretRef;
  }

  public CredentialsSecretRef getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  public void setCredentialsSecretRef(CredentialsSecretRef credentialsSecretRef) {
    this.credentialsSecretRef = credentialsSecretRef;
  }
}
