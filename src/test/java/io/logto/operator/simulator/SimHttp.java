package io.logto.operator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A plain {@link HttpClient} speaking to a simulator, for tests. Deliberately independent of the
 * operator's Logto client.
 */
final class SimHttp {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** An answer: status, headers, body text. */
  record Answer(int status, HttpHeaders headers, String body) {
    JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    List<String> headerValues(String name) {
      return headers.allValues(name);
    }

    String code() {
      return json().path("code").asText();
    }

    List<String> fieldNames() {
      List<String> names = new ArrayList<>();
      json().fieldNames().forEachRemaining(names::add);
      return names;
    }
  }

  private final LogtoSimulator sim;
  private String managementToken;

  SimHttp(LogtoSimulator sim) {
    this.sim = sim;
  }

  static String json(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String form(String... keyValues) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < keyValues.length; i += 2) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(URLEncoder.encode(keyValues[i], StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(keyValues[i + 1], StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  static String basic(String id, String secret) {
    return "Basic " + Base64.getEncoder()
        .encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  /** POST /oidc/token with Basic credentials and a form body. */
  Answer token(String appId, String secret, String formBody) {
    return send("POST", "/oidc/token", formBody, "application/x-www-form-urlencoded",
        basic(appId, secret));
  }

  /** A client-credentials token for a resource (scope may be null). */
  Answer token(String appId, String secret, String resource, String scope) {
    return scope == null
        ? token(appId, secret, form("grant_type", "client_credentials", "resource", resource))
        : token(appId, secret,
            form("grant_type", "client_credentials", "resource", resource, "scope", scope));
  }

  /** A Management API token of the bootstrap app, fetched once. */
  String managementToken() {
    if (managementToken == null) {
      Answer answer = token(sim.bootstrapAppId(), sim.bootstrapAppSecret(),
          LogtoSimulator.MANAGEMENT_API_RESOURCE, "all");
      if (answer.status() != 200) {
        throw new IllegalStateException("no management token: " + answer);
      }
      managementToken = answer.json().get("access_token").asText();
    }
    return managementToken;
  }

  void forgetToken() {
    managementToken = null;
  }

  Answer get(String path) {
    return api("GET", path, null);
  }

  Answer delete(String path) {
    return api("DELETE", path, null);
  }

  Answer post(String path, Object body) {
    return api("POST", path, body);
  }

  Answer put(String path, Object body) {
    return api("PUT", path, body);
  }

  Answer patch(String path, Object body) {
    return api("PATCH", path, body);
  }

  /** A Management API call with the bootstrap token; {@code body} is serialized as JSON. */
  Answer api(String method, String path, Object body) {
    return send(method, path, body == null ? null : body instanceof String s ? s : json(body),
        "application/json", "Bearer " + managementToken());
  }

  Answer send(String method, String path, String body, String contentType,
      String authorization) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(sim.endpoint() + path))
        .timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null && contentType != null) {
      builder.header("Content-Type", contentType);
    }
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> response =
          CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // Shortcuts that create entities and return their ids.

  String createResource(String name, String indicator) {
    Answer a = post("/api/resources", Map.of("name", name, "indicator", indicator));
    check(a, 201);
    return a.json().get("id").asText();
  }

  String createScope(String resourceId, String name) {
    Answer a = post("/api/resources/" + resourceId + "/scopes",
        Map.of("name", name, "description", "the " + name + " scope"));
    check(a, 201);
    return a.json().get("id").asText();
  }

  String createM2mRole(String name, String... scopeIds) {
    Answer a = post("/api/roles", Map.of("name", name, "description", "role " + name,
        "type", "MachineToMachine", "scopeIds", List.of(scopeIds)));
    check(a, 200);
    return a.json().get("id").asText();
  }

  String createApp(String name, String type) {
    Answer a = post("/api/applications", Map.of("name", name, "type", type));
    check(a, 200);
    return a.json().get("id").asText();
  }

  String defaultSecret(String appId) {
    Answer a = get("/api/applications/" + appId + "/secrets");
    check(a, 200);
    for (JsonNode s : a.json()) {
      if (s.get("name").asText().equals("Default secret")) {
        return s.get("value").asText();
      }
    }
    throw new IllegalStateException("no Default secret: " + a.body());
  }

  static void check(Answer answer, int status) {
    if (answer.status() != status) {
      throw new AssertionError("expected " + status + " but got " + answer.status() + ": "
          + answer.body());
    }
  }
}
