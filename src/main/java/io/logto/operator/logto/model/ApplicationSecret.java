package io.logto.operator.logto.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A named client secret of an application; {@code value} is the credential. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApplicationSecret(
    String applicationId, String name, String value, Long createdAt, Long expiresAt) {

  @Override
  public String toString() {
    return "ApplicationSecret[applicationId=" + applicationId + ", name=" + name
        + ", value=***, createdAt=" + createdAt + ", expiresAt=" + expiresAt + "]";
  }
}
