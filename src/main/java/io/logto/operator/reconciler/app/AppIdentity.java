package io.logto.operator.reconciler.app;

import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.logto.model.Application;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Marks a Logto application with the identity of the LogtoM2MApp that created it. Logto allows
 * duplicate application names, so this mark, not the name, is how a retry after a crash finds the
 * application it already created. A LogtoM2MApp deleted and created again gets a new uid, so it
 * gets a new application: a retained one is never adopted silently.
 */
final class AppIdentity {

  static final String KEY = "logtoOperator";

  private AppIdentity() {}

  static Map<String, Object> customData(LogtoM2MApp app) {
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("namespace", app.getMetadata().getNamespace());
    identity.put("name", app.getMetadata().getName());
    identity.put("uid", app.getMetadata().getUid());
    Map<String, Object> data = new LinkedHashMap<>();
    data.put(KEY, identity);
    return data;
  }

  static boolean isCreatedBy(Application application, LogtoM2MApp app) {
    if (application.customData() == null
        || !(application.customData().get(KEY) instanceof Map<?, ?> identity)) {
      return false;
    }
    return app.getMetadata().getUid() != null
        && app.getMetadata().getUid().equals(identity.get("uid"));
  }
}
