package io.logto.operator.logto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class ApiPathTest {

  private static final HttpUrl LOGTO = HttpUrl.get("http://logto:3001");

  @Test
  void fillsTheTemplateKeepingItForLabels() {
    ApiPath path = ApiPath.of("/api/roles/{id}/scopes/{scopeId}", "r1", "s2");
    assertThat(path.template()).isEqualTo("/api/roles/{id}/scopes/{scopeId}");
    assertThat(path.under(LOGTO).toString()).isEqualTo("http://logto:3001/api/roles/r1/scopes/s2");
  }

  @Test
  void encodesEachValueAsOneSegment() {
    ApiPath path = ApiPath.of("/api/applications/{id}/secrets/{name}", "a1", "Default secret/2?");
    assertThat(path.under(LOGTO).encodedPath())
        .isEqualTo("/api/applications/a1/secrets/Default%20secret%2F2%3F");
  }

  @Test
  void keepsAPathPrefixOfTheEndpoint() {
    assertThat(ApiPath.of("/oidc/token").under(HttpUrl.get("https://example.com/logto/")).toString())
        .isEqualTo("https://example.com/logto/oidc/token");
  }

  @Test
  void refusesMissingOrEmptyValues() {
    assertThatThrownBy(() -> ApiPath.of("/api/roles/{id}")).isInstanceOf(
        IllegalArgumentException.class);
    assertThatThrownBy(() -> ApiPath.of("/api/roles/{id}", "")).isInstanceOf(
        IllegalArgumentException.class);
    assertThatThrownBy(() -> ApiPath.of("/api/roles/{id}", (String) null)).isInstanceOf(
        NullPointerException.class);
  }
}
