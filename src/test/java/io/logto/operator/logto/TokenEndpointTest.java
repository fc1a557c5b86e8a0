package io.logto.operator.logto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokenEndpointTest {

  @Test
  void basicCredentialsAreFormEncodedFirst() {
    String header = TokenEndpoint.basic("app:1", "s%cr t+é");
    assertThat(header).startsWith("Basic ");
    String decoded = new String(Base64.getDecoder().decode(header.substring(6)),
        StandardCharsets.UTF_8);
    assertThat(decoded).isEqualTo("app%3A1:s%25cr+t%2B%C3%A9");
  }
}
