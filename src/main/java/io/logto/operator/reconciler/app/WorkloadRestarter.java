package io.logto.operator.reconciler.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.app.LogtoM2MAppStatus;
import io.logto.operator.crd.app.WorkloadReference;
import io.logto.operator.reconciler.common.DesiredStateHash;
import io.logto.operator.reconciler.common.EventRecorder;
import io.logto.operator.reconciler.common.SyncSession;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls out the Deployments and StatefulSets that read an app's Secret through env (which a pod
 * reads only when it starts): their pod template gets an annotation that changes with each new
 * secret, as {@code kubectl rollout restart} does with its own annotation. The value is a hash of
 * the app id and the secret's name, never of the secret itself.
 */
public final class WorkloadRestarter {

  static final String ANNOTATION = "m2m.logto.io/credentials";
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadRestarter.class);

  private final KubernetesClient client;
  private final EventRecorder events;

  public WorkloadRestarter(KubernetesClient client, EventRecorder events) {
    this.client = client;
    this.events = events;
  }

  /**
   * Annotates each workload; a missing one or a refusal (no RBAC for it) is told in a Warning
   * Event and does not stop the reconcile.
   *
   * @return whether every workload was annotated
   */
  boolean restart(SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session,
      List<WorkloadReference> workloads, String appId, String secretName) {
    String value = DesiredStateHash.ofText(appId + ":" + secretName);
    String patch = "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"" + ANNOTATION
        + "\":\"" + value + "\"}}}}}";
    boolean all = true;
    for (WorkloadReference workload : workloads) {
      WorkloadReference.Kind kind = workload.getKind();
      String name = workload.getName();
      try {
        PatchContext merge = PatchContext.of(PatchType.JSON_MERGE);
        if (kind == WorkloadReference.Kind.Deployment) {
          client.apps().deployments().inNamespace(session.namespace()).withName(name)
              .patch(merge, patch);
        } else {
          client.apps().statefulSets().inNamespace(session.namespace()).withName(name)
              .patch(merge, patch);
        }
        LOG.info("{} {}/{}: rolled out {} {} for secret {}", M2MAppReconciler.KIND,
            session.namespace(), session.name(), kind, name, secretName);
        events.normal(session.resource(), "RolloutRestarted", "Rolled out " + kind + " " + name
            + " for the new secret " + secretName);
      } catch (KubernetesClientException e) {
        all = false;
        String why = e.getCode() == 404 ? "it does not exist"
            : e.getCode() == 403 ? "the operator may not patch it (enable rolloutRestart in the"
                + " Helm chart)" : "the API server answered " + e.getCode();
        events.warning(session.resource(), "RolloutRestartFailed", "Could not roll out " + kind
            + " " + name + " for the new secret " + secretName + ": " + why);
      }
    }
    return all;
  }
}
