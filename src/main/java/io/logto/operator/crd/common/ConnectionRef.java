package io.logto.operator.crd.common;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** The Logto connection a custom resource is reconciled through. */
// Fields from a newer CRD version are ignored rather than stopping the informer.
@JsonIgnoreProperties(ignoreUnknown = true)
public class ConnectionRef {

  /** The two kinds of connection. */
  public enum Kind {
    LogtoConnection,
    ClusterLogtoConnection
  }

  @Required
  @JsonPropertyDescription(
      "LogtoConnection (in this object's namespace) or ClusterLogtoConnection.")
  private Kind kind;

  @Required
  @Size(min = 1, max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("metadata.name of the connection.")
  private String name;

  public ConnectionRef() {}

  public ConnectionRef(Kind kind, String name) {
    this.kind = kind;
    this.name = name;
  }

  public Kind getKind() {
    return kind;
  }

  public void setKind(Kind kind) {
    this.kind = kind;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConnectionRef other && kind == other.kind
        && Objects.equals(name, other.name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, name);
  }

  @Override
  public String toString() {
    return kind + "/" + name;
  }
}
