package io.logto.operator.logto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorTest {

  private final Redactor redactor = new Redactor(new JsonCodec());

  @Test
  void masksSecretValuesAtAnyDepth() {
    String body = """
        [{"applicationId":"app1","name":"Default secret","value":"s3cr3t-value",
          "createdAt":1,"expiresAt":null},
         {"id":"app2","secret":"internal_abc","oidcClientMetadata":{"client_secret":"cs-1"},
          "nested":[{"access_token":"eyJhbGciOi","refreshToken":"rt-2","apiKey":"k-3",
          "password":"pw-4"}]}]
        """;
    String shown = redactor.redact(body);
    assertThat(shown)
        .doesNotContain("s3cr3t-value", "internal_abc", "cs-1", "eyJhbGciOi", "rt-2", "k-3", "pw-4")
        .contains("\"name\":\"Default secret\"", "\"applicationId\":\"app1\"", "\"id\":\"app2\"",
            "\"createdAt\":1");
  }

  @Test
  void keepsNumbersUnderSensitiveNames() {
    assertThat(redactor.redact("{\"accessTokenTtl\":3600,\"indicator\":\"https://x\"}"))
        .isEqualTo("{\"accessTokenTtl\":3600,\"indicator\":\"https://x\"}");
  }

  @Test
  void masksStructuresUnderSensitiveNames() {
    assertThat(redactor.redact("{\"secret\":{\"inner\":\"x1\"},\"tokens\":[\"t1\"]}"))
        .doesNotContain("x1", "t1");
  }

  @Test
  void showsNoBodyThatIsNotJson() {
    assertThat(redactor.redact("access_token=abc&client_secret=def")).doesNotContain("abc", "def");
    assertThat(redactor.redact("\"just-a-string-token\"")).doesNotContain("just-a-string-token");
    assertThat(redactor.redact("Created")).doesNotContain("Created");
    assertThat(redactor.redact("")).isEqualTo("<empty>");
  }

  @Test
  void namesLikeSecretsAreSensitive() {
    assertThat(Redactor.isSensitive("value")).isTrue();
    assertThat(Redactor.isSensitive("client_secret")).isTrue();
    assertThat(Redactor.isSensitive("access_token")).isTrue();
    assertThat(Redactor.isSensitive("appSecret")).isTrue();
    assertThat(Redactor.isSensitive("name")).isFalse();
    assertThat(Redactor.isSensitive("description")).isFalse();
    assertThat(Redactor.isSensitive("values")).isFalse();
  }
}
