package io.logto.operator.crd.connection;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ClusterLogtoConnectionSpec extends ConnectionSpec {

  @Required
  @JsonPropertyDescription(
      "The Secret with the App ID and App Secret of an M2M app holding the role Logto Management"
          + " API access; in the operator's namespace unless namespace says otherwise.")
  private ClusterCredentialsSecretRef credentialsSecretRef;

  @JsonPropertyDescription(
      "Namespaces whose objects may use this connection (names and/or a label selector)."
          + " Default: none.")
  private AllowedNamespaces allowedNamespaces;

  @Size(max = 256)
  @JsonPropertyDescription(
      "Namespaces whose objects may reach beyond what they declare through this connection"
          + " (Management API scopes, Logto objects the operator does not manage). Default: none.")
  private List<@Size(min = 1, max = 63) @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$") String>
      privilegedNamespaces = new ArrayList<>();

  @Override
  @JsonIgnore
  public ClusterCredentialsSecretRef credentials() {
    return credentialsSecretRef;
  }

  public ClusterCredentialsSecretRef getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  public void setCredentialsSecretRef(ClusterCredentialsSecretRef credentialsSecretRef) {
    this.credentialsSecretRef = credentialsSecretRef;
  }

  public AllowedNamespaces getAllowedNamespaces() {
    return allowedNamespaces;
  }

  public void setAllowedNamespaces(AllowedNamespaces allowedNamespaces) {
    this.allowedNamespaces = allowedNamespaces;
  }

  public List<String> getPrivilegedNamespaces() {
    return privilegedNamespaces;
  }

  public void setPrivilegedNamespaces(List<String> privilegedNamespaces) {
    this.privilegedNamespaces = privilegedNamespaces == null ? new ArrayList<>()
        : privilegedNamespaces;
  }
}
