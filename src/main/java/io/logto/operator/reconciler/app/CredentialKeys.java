package io.logto.operator.reconciler.app;

import java.util.List;

/** The default keys of the credentials Secret (each can be renamed in spec.secret.keys). */
final class CredentialKeys {

  static final String ENDPOINT = "LOGTO_ENDPOINT";
  static final String TOKEN_ENDPOINT = "LOGTO_TOKEN_ENDPOINT";
  static final String APP_ID = "LOGTO_APP_ID";
  static final String APP_SECRET = "LOGTO_APP_SECRET";
  /** The replaced secret during its grace period, for clients that try both. */
  static final String APP_SECRET_PREVIOUS = "LOGTO_APP_SECRET_PREVIOUS";
  static final String RESOURCE = "LOGTO_RESOURCE";
  static final String SCOPES = "LOGTO_SCOPES";

  static final List<String> ALL =
      List.of(ENDPOINT, TOKEN_ENDPOINT, APP_ID, APP_SECRET, APP_SECRET_PREVIOUS, RESOURCE, SCOPES);

  private CredentialKeys() {}
}
