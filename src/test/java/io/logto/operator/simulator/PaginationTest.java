package io.logto.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.logto.operator.simulator.SimHttp.Answer;
import org.junit.jupiter.api.Test;

/** koa-pagination: Total-Number, Link, limits. */
class PaginationTest extends SimulatorTestBase {

  @Test
  void pagesCarryTotalNumberAndLinks() {
    http.createResource("Bad", "not a uri");
    http.createResource("Shop", "https://shopping.api");
    String base = "<" + sim.endpoint() + "/resources?includeScopes=true&page=";

    Answer first = http.get("/api/resources?includeScopes=true&page=1&page_size=2");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.header("Total-Number")).isEqualTo("3");
    assertThat(first.json()).hasSize(2);
    assertThat(first.json().get(0).get("id").asText()).isEqualTo("management-api");
    assertThat(first.headerValues("Link")).containsExactly(
        base + "1&page_size=2>; rel=\"first\"",
        base + "2&page_size=2>; rel=\"last\"",
        base + "2&page_size=2>; rel=\"next\"");

    Answer second = http.get("/api/resources?includeScopes=true&page=2&page_size=2");
    assertThat(second.json()).hasSize(1);
    assertThat(second.headerValues("Link")).containsExactly(
        base + "1&page_size=2>; rel=\"first\"",
        base + "2&page_size=2>; rel=\"last\"",
        base + "1&page_size=2>; rel=\"prev\"");

    Answer beyond = http.get("/api/resources?page=5&page_size=2");
    assertThat(beyond.status()).isEqualTo(200);
    assertThat(beyond.json()).isEmpty();
    assertThat(beyond.header("Total-Number")).isEqualTo("3");
  }

  @Test
  void optionalPaginationIsOffWithoutParameters() {
    Answer all = http.get("/api/resources");
    assertThat(all.header("Total-Number")).isNull();
    assertThat(all.headerValues("Link")).isEmpty();

    Answer sizeOnly = http.get("/api/applications?page_size=5");
    assertThat(sizeOnly.header("Total-Number")).isEqualTo("1");
    assertThat(sizeOnly.headerValues("Link")).contains(
        "<" + sim.endpoint() + "/applications?page_size=5&page=1>; rel=\"first\"");
  }

  @Test
  void badValuesAre400InvalidPagination() {
    for (String query : new String[] {"page_size=101", "page=0", "page=abc", "page_size=-1",
        "page=1.5"}) {
      Answer answer = http.get("/api/applications?" + query);
      assertThat(answer.status()).as(query).isEqualTo(400);
      assertThat(answer.code()).as(query).isEqualTo("guard.invalid_pagination");
    }
    assertThat(http.get("/api/applications?page_size=100").status()).isEqualTo(200);
    assertThat(http.get("/api/roles?page_size=101").code()).isEqualTo("guard.invalid_pagination");
  }
}
