package io.logto.operator.sandbox;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.logto.operator.logto.LogtoClient;
import io.logto.operator.logto.LogtoClientOptions;
import io.logto.operator.runtime.LogtoOperator;
import io.logto.operator.runtime.OperatorSettings;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The operator running in-process against the embedded Kubernetes API and a {@link LogtoTarget},
 * as the sandbox and the benchmark use it. Closing stops everything in reverse order.
 */
public final class OperatorStack implements AutoCloseable {

  /**
   * The namespace the in-process operator calls its own: where a ClusterLogtoConnection's
   * credentials Secret is unless it names another.
   */
  public static final String OPERATOR_NAMESPACE = "logto-operator";

  private final EmbeddedKubernetes kubernetes;
  private final LogtoTarget logto;
  private final LogtoClient client;
  private ExtraTenants extraTenants = ExtraTenants.none();
  private LogtoOperator operator;

  private OperatorStack(EmbeddedKubernetes kubernetes, LogtoTarget logto, LogtoClient client) {
    this.kubernetes = kubernetes;
    this.logto = logto;
    this.client = client;
  }

  /**
   * Starts the Kubernetes API and a Logto client; the operator starts with {@link #startOperator}.
   * Takes ownership of {@code logto} (closed with the stack, or at once if this fails).
   */
  public static OperatorStack prepare(LogtoTarget logto, LogtoClientOptions options) {
    return prepare(() -> logto, options);
  }

  /**
   * As {@link #prepare(LogtoTarget, LogtoClientOptions)}, starting Logto (e.g. the simulator) on
   * another thread while the Kubernetes API starts: both mostly load classes, and a newcomer waits
   * for the sum.
   */
  public static OperatorStack prepare(Supplier<LogtoTarget> logtoStarter,
      LogtoClientOptions options) {
    CompletableFuture<LogtoTarget> logto = CompletableFuture.supplyAsync(logtoStarter);
    EmbeddedKubernetes kubernetes = null;
    try {
      kubernetes = EmbeddedKubernetes.start();
      LogtoTarget target = join(logto);
      try {
        return new OperatorStack(kubernetes, target,
            new LogtoClient(target.connection(), options, target.listener()));
      } catch (RuntimeException e) {
        target.close();
        throw e;
      }
    } catch (RuntimeException e) {
      if (kubernetes != null) {
        kubernetes.close();
      }
      logto.thenAccept(LogtoTarget::close);
      throw e;
    }
  }

  private static LogtoTarget join(CompletableFuture<LogtoTarget> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  public void startOperator(Set<String> privilegedNamespaces, Duration resyncInterval) {
    operator = LogtoOperator.start(kubernetes.client(), client,
        OperatorSettings.embedded(logto.connection(), privilegedNamespaces, resyncInterval)
            .withOperatorNamespace(OPERATOR_NAMESPACE),
        null);
  }

  /**
   * Starts {@code count} more simulated tenants (numbered from 2), closed with the stack; they are
   * connected with {@link ExtraTenants#connect}.
   */
  public ExtraTenants startExtraTenants(int count, Duration latency, double failureRate) {
    if (!extraTenants.isEmpty()) {
      throw new IllegalStateException("the extra tenants are started already");
    }
    extraTenants = ExtraTenants.start(count, latency, failureRate);
    return extraTenants;
  }

  /** The tenants beyond the operator's own; none unless started. */
  public ExtraTenants extraTenants() {
    return extraTenants;
  }

  public KubernetesClient kubernetes() {
    return kubernetes.client();
  }

  public String kubernetesUrl() {
    return kubernetes.url();
  }

  public LogtoTarget logto() {
    return logto;
  }

  /** The operator's Logto client. */
  public LogtoClient client() {
    return client;
  }

  public LogtoOperator operator() {
    if (operator == null) {
      throw new IllegalStateException("the operator is not started");
    }
    return operator;
  }

  @Override
  public void close() {
    try {
      if (operator != null) {
        operator.close();
      }
    } finally {
      try {
        client.close();
        logto.close();
        extraTenants.close();
      } finally {
        kubernetes.close();
      }
    }
  }
}
