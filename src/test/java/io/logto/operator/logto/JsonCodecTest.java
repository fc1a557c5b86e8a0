package io.logto.operator.logto;

import static org.assertj.core.api.Assertions.assertThat;

import io.logto.operator.logto.model.ApplicationUpdate;
import java.util.HashMap;
import java.util.Map;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

class JsonCodecTest {

  private final JsonCodec json = new JsonCodec();

  @Test
  void errorCarriesLogtoCodeAndMessage() {
    LogtoException e = json.error(new Answer(422, Headers.of(),
        "{\"code\":\"role.name_in_use\",\"message\":\"This role name x is already in use\"}"),
        "POST /api/roles");
    assertThat(e.status()).isEqualTo(422);
    assertThat(e.code()).isEqualTo("role.name_in_use");
    assertThat(e.getMessage()).contains("POST /api/roles", "422", "already in use");
    assertThat(e.isConflict()).isTrue();
  }

  @Test
  void errorOfAPlainOauthAnswer() {
    LogtoException e = json.error(new Answer(400, Headers.of(),
        "{\"error\":\"invalid_target\",\"error_description\":\"unknown resource\"}"), "POST x");
    assertThat(e.code()).isEqualTo("oidc.invalid_target");
    assertThat(e.isInvalidInput()).isTrue();
  }

  @Test
  void errorOfABodyThatIsNotJsonDoesNotQuoteIt() {
    LogtoException e = json.error(new Answer(502, Headers.of(),
        "<html>Bad gateway, token=abc</html>"), "GET /api/roles");
    assertThat(e.status()).isEqualTo(502);
    assertThat(e.code()).isNull();
    assertThat(e.getMessage()).doesNotContain("abc");
    assertThat(e.isUnavailable()).isTrue();
  }

  @Test
  void nullFieldsAreLeftOutButNullsInCustomDataKept() {
    Map<String, Object> custom = new HashMap<>();
    custom.put("gone", null);
    assertThat(json.write(new ApplicationUpdate(null, "d", custom)))
        .isEqualTo("{\"description\":\"d\",\"customData\":{\"gone\":null}}");
  }
}
