package io.logto.operator.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The simulator's entities (the rows of Logto's tables), guarded by the monitor of {@link
 * TenantState}.
 */
final class Model {
  private Model() {}

  /** A row of {@code applications}, with its {@code application_secrets}. */
  static final class App {
    final String id;
    final String type;
    final long createdAt;
    final long seq;
    /** The internal secret Logto keeps in {@code applications.secret} ("internal_..."). */
    final String internalSecret;
    String name;
    String description;
    boolean isThirdParty;
    ObjectNode customData = Json.object();
    ObjectNode oidcClientMetadata = Json.object();
    ObjectNode customClientMetadata = Json.object();
    final Map<String, Secret> secrets = new LinkedHashMap<>();

    App(String id, String type, String name, long createdAt, long seq) {
      this.id = id;
      this.type = type;
      this.name = name;
      this.createdAt = createdAt;
      this.seq = seq;
      this.internalSecret = "internal_" + Ids.secret();
      oidcClientMetadata.set("redirectUris", Json.array());
      oidcClientMetadata.set("postLogoutRedirectUris", Json.array());
    }

    boolean isMachineToMachine() {
      return "MachineToMachine".equals(type);
    }
  }

  /** A row of {@code application_secrets}. */
  static final class Secret {
    String name;
    final String value;
    final long createdAt;
    final Long expiresAt;

    Secret(String name, String value, long createdAt, Long expiresAt) {
      this.name = name;
      this.value = value;
      this.createdAt = createdAt;
      this.expiresAt = expiresAt;
    }

    /** As Logto's secret check: an expiry of 0 or none never expires. */
    boolean isExpired(long now) {
      return expiresAt != null && expiresAt != 0 && expiresAt < now;
    }
  }

  /** A row of {@code roles}. */
  static final class Role {
    final String id;
    final String type;
    final long seq;
    String name;
    String description;
    boolean isDefault;

    Role(String id, String name, String description, String type, boolean isDefault, long seq) {
      this.id = id;
      this.name = name;
      this.description = description;
      this.type = type;
      this.isDefault = isDefault;
      this.seq = seq;
    }

    boolean isMachineToMachine() {
      return "MachineToMachine".equals(type);
    }
  }

  /** A row of {@code resources} (an API resource). */
  static final class Resource {
    final String id;
    final String indicator;
    final long seq;
    String name;
    boolean isDefault;
    long accessTokenTtl;

    Resource(String id, String name, String indicator, long accessTokenTtl, long seq) {
      this.id = id;
      this.name = name;
      this.indicator = indicator;
      this.accessTokenTtl = accessTokenTtl;
      this.seq = seq;
    }
  }

  /** A row of {@code scopes} (a permission of an API resource). */
  static final class Scope {
    final String id;
    final String resourceId;
    final long createdAt;
    final long seq;
    String name;
    String description;

    Scope(String id, String resourceId, String name, String description, long createdAt,
        long seq) {
      this.id = id;
      this.resourceId = resourceId;
      this.name = name;
      this.description = description;
      this.createdAt = createdAt;
      this.seq = seq;
    }
  }
}
