package io.logto.operator.crd.app;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The application's secrets as the operator manages them: the one in the Secret, the previous
 * one during its grace period, and a rotation under way. Names only; values never leave Logto
 * and the Secret.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
// Fields from a newer CRD version are ignored rather than stopping the informer.
@JsonIgnoreProperties(ignoreUnknown = true)
public class CredentialsStatus {

  @JsonPropertyDescription("The secret in the Secret's LOGTO_APP_SECRET.")
  private CurrentCredential current;

  @JsonPropertyDescription(
      "The secret it replaced, still valid in Logto and in LOGTO_APP_SECRET_PREVIOUS until"
          + " retireAt.")
  private PreviousCredential previous;

  @JsonPropertyDescription(
      "A secret about to be created in Logto, recorded first so that a crash in between leads"
          + " to adopting it rather than creating another.")
  private PendingCredential pending;

  @JsonPropertyDescription("When the secret was last replaced (RFC 3339).")
  private String lastRotation;

  @JsonPropertyDescription(
      "When the next rotation starts (RFC 3339): one period after the last, earlier if the"
          + " secret expires sooner, never before the previous secret retires. Unset: only on"
          + " demand.")
  private String nextRotation;

  @JsonPropertyDescription(
      "A rotation requested with m2m.logto.io/rotate that waits for the previous secret to"
          + " retire, and when it runs.")
  private QueuedRotation queued;

  @JsonPropertyDescription("The value of the m2m.logto.io/rotate annotation last acted upon.")
  private String rotateRequest;

  @JsonPropertyDescription(
      "The secret for which spec.secret.rolloutRestart's workloads were last rolled out.")
  private String restartedFor;

  public CurrentCredential getCurrent() {
    return current;
  }

  public void setCurrent(CurrentCredential current) {
    this.current = current;
  }

  public PreviousCredential getPrevious() {
    return previous;
  }

  public void setPrevious(PreviousCredential previous) {
    this.previous = previous;
  }

  public PendingCredential getPending() {
    return pending;
  }

  public void setPending(PendingCredential pending) {
    this.pending = pending;
  }

  public String getLastRotation() {
    return lastRotation;
  }

  public void setLastRotation(String lastRotation) {
    this.lastRotation = lastRotation;
  }

  public String getNextRotation() {
    return nextRotation;
  }

  public void setNextRotation(String nextRotation) {
    this.nextRotation = nextRotation;
  }

  public QueuedRotation getQueued() {
    return queued;
  }

  public void setQueued(QueuedRotation queued) {
    this.queued = queued;
  }

  public String getRotateRequest() {
    return rotateRequest;
  }

  public void setRotateRequest(String rotateRequest) {
    this.rotateRequest = rotateRequest;
  }

  public String getRestartedFor() {
    return restartedFor;
  }

  public void setRestartedFor(String restartedFor) {
    this.restartedFor = restartedFor;
  }

  /** An application secret by name, with its lifetime in Logto (RFC 3339). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class CurrentCredential {
    @JsonPropertyDescription("Name of the application secret in Logto.")
    private String name;

    @JsonPropertyDescription("When Logto created it.")
    private String createdAt;

    @JsonPropertyDescription("When Logto stops accepting it; unset: never.")
    private String expiresAt;

    public CurrentCredential() {}

    public CurrentCredential(String name, String createdAt, String expiresAt) {
      this.name = name;
      this.createdAt = createdAt;
      this.expiresAt = expiresAt;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getCreatedAt() {
      return createdAt;
    }

    public void setCreatedAt(String createdAt) {
      this.createdAt = createdAt;
    }

    public String getExpiresAt() {
      return expiresAt;
    }

    public void setExpiresAt(String expiresAt) {
      this.expiresAt = expiresAt;
    }
  }

  /** The replaced secret, and when the operator deletes it from Logto. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class PreviousCredential {
    @JsonPropertyDescription("Name of the application secret in Logto.")
    private String name;

    @JsonPropertyDescription("When it is removed from the Secret and deleted from Logto.")
    private String retireAt;

    public PreviousCredential() {}

    public PreviousCredential(String name, String retireAt) {
      this.name = name;
      this.retireAt = retireAt;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getRetireAt() {
      return retireAt;
    }

    public void setRetireAt(String retireAt) {
      this.retireAt = retireAt;
    }
  }

  /** The secret a rotation is creating, and why. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class PendingCredential {
    @JsonPropertyDescription("Name of the application secret being created in Logto.")
    private String name;

    @JsonPropertyDescription(
        "Its expiry in Logto: the next rotation plus the grace period plus one hour.")
    private String expiresAt;

    @JsonPropertyDescription("What started the rotation.")
    private String reason;

    public PendingCredential() {}

    public PendingCredential(String name, String expiresAt, String reason) {
      this.name = name;
      this.expiresAt = expiresAt;
      this.reason = reason;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getExpiresAt() {
      return expiresAt;
    }

    public void setExpiresAt(String expiresAt) {
      this.expiresAt = expiresAt;
    }

    public String getReason() {
      return reason;
    }

    public void setReason(String reason) {
      this.reason = reason;
    }
  }

  /** A rotate request waiting for the previous secret's grace period to end. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class QueuedRotation {
    @JsonPropertyDescription("The value of the m2m.logto.io/rotate annotation that asked for it.")
    private String request;

    @JsonPropertyDescription("When it runs: when the previous secret retires (RFC 3339).")
    private String runsAt;

    public QueuedRotation() {}

    public QueuedRotation(String request, String runsAt) {
      this.request = request;
      this.runsAt = runsAt;
    }

    public String getRequest() {
      return request;
    }

    public void setRequest(String request) {
      this.request = request;
    }

    public String getRunsAt() {
      return runsAt;
    }

    public void setRunsAt(String runsAt) {
      this.runsAt = runsAt;
    }
  }
}
