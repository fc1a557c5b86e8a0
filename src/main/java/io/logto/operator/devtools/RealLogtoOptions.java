package io.logto.operator.devtools;

import io.logto.operator.sandbox.RemoteLogto;
import java.net.URI;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** `--logto-endpoint` and friends: run the sandbox or the benchmark against a real Logto. */
public final class RealLogtoOptions {

  @Option(names = "--logto-endpoint", paramLabel = "URL",
      description = "Use this Logto instead of the simulator (with --logto-app-id and"
          + " --logto-app-secret); what is created there is deleted at the end.")
  URI endpoint;

  @Option(names = "--logto-app-id", paramLabel = "ID", description = "App ID of the operator's"
      + " M2M app in that Logto (with the \"Logto Management API access\" role).")
  String appId;

  @Option(names = "--logto-app-secret", paramLabel = "SECRET",
      description = "App Secret of that app.")
  String appSecret;

  @Option(names = "--logto-tenant-id", paramLabel = "T",
      description = "Tenant id of that Logto (default: default, as self-hosted Logto).")
  String tenantId;

  /** The real Logto asked for, if any; all three of endpoint, id and secret, or none. */
  Optional<RemoteLogto> remote(CommandLine commandLine) {
    if (endpoint == null && appId == null && appSecret == null && tenantId == null) {
      return Optional.empty();
    }
    if (endpoint == null || appId == null || appSecret == null) {
      throw new ParameterException(commandLine,
          "a real Logto needs --logto-endpoint, --logto-app-id and --logto-app-secret");
    }
    return Optional.of(new RemoteLogto(endpoint, tenantId, appId, appSecret));
  }
}
