package io.logto.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logto.operator.simulator.SimHttp.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Test controls: injected failures, latency, token expiry, counters. */
class FaultsAndCountersTest extends SimulatorTestBase {

  @Test
  void failNextAnswersTheNextCallsWith429AndRetryAfter() {
    http.managementToken();
    sim.failNext(2, 429);
    for (int i = 0; i < 2; i++) {
      Answer answer = http.get("/api/applications");
      assertThat(answer.status()).isEqualTo(429);
      assertThat(answer.header("Retry-After")).isEqualTo("1");
      assertThat(answer.code()).isEqualTo("request.rate_limited");
      assertThat(answer.json().has("message")).isTrue();
    }
    assertThat(http.get("/api/applications").status()).isEqualTo(200);
  }

  @Test
  void failNextWithRetryAfterAndOtherStatuses() {
    http.managementToken();
    sim.failNext(1, 503, Duration.ofSeconds(3));
    Answer answer = http.get("/api/roles");
    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.header("Retry-After")).isEqualTo("3");
    assertThat(answer.json().has("code")).isTrue();

    sim.failNext(1, 500);
    Answer plain = http.get("/api/roles");
    assertThat(plain.status()).isEqualTo(500);
    assertThat(plain.header("Retry-After")).isNull();
    assertThat(http.get("/api/roles").status()).isEqualTo(200);
  }

  @Test
  void apiFaultsDoNotHitTheTokenEndpointButTokenFaultsDo() {
    sim.failNext(1, 503);
    assertThat(http.token(sim.bootstrapAppId(), sim.bootstrapAppSecret(),
        LogtoSimulator.MANAGEMENT_API_RESOURCE, "all").status()).isEqualTo(200);
    assertThat(http.get("/api/applications").status()).isEqualTo(503);

    sim.failNextTokenRequests(1, 429);
    Answer token = http.token(sim.bootstrapAppId(), sim.bootstrapAppSecret(),
        LogtoSimulator.MANAGEMENT_API_RESOURCE, "all");
    assertThat(token.status()).isEqualTo(429);
    assertThat(token.header("Retry-After")).isEqualTo("1");
  }

  @Test
  void failureRateFailsAboutThatShare() {
    http.managementToken();
    sim.setFailureRate(0.5, 503);
    int failures = 0;
    for (int i = 0; i < 100; i++) {
      int status = http.get("/api/resources").status();
      assertThat(status).isIn(200, 503);
      failures += status == 503 ? 1 : 0;
    }
    assertThat(failures).isBetween(20, 80);

    sim.clearFaults();
    for (int i = 0; i < 10; i++) {
      assertThat(http.get("/api/resources").status()).isEqualTo(200);
    }
    assertThatThrownBy(() -> sim.setFailureRate(1.5, 503))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void latencyIsAddedToEveryCallAndCallsOverlap() throws Exception {
    http.managementToken();
    sim.setLatency(Duration.ofMillis(200));
    long start = System.nanoTime();
    assertThat(http.get("/api/applications").status()).isEqualTo(200);
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(200_000_000L);

    int calls = 40;
    ExecutorService pool = Executors.newFixedThreadPool(calls);
    try {
      List<Callable<Integer>> tasks = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        tasks.add(() -> http.get("/api/resources").status());
      }
      start = System.nanoTime();
      List<Future<Integer>> results = pool.invokeAll(tasks);
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      for (Future<Integer> f : results) {
        assertThat(f.get()).isEqualTo(200);
      }
      // serially this would take 40 * 200 ms = 8 s
      assertThat(elapsedMs).isLessThan(3_000);
    } finally {
      pool.shutdownNow();
    }
    sim.clearFaults();
    start = System.nanoTime();
    http.get("/api/applications");
    assertThat(System.nanoTime() - start).isLessThan(200_000_000L);
  }

  @Test
  void countersUsePathTemplatesAndIncludeFaultedCalls() {
    String app = http.createApp("a", "MachineToMachine");
    String role = http.createM2mRole("r");
    sim.resetCounters();

    http.post("/api/applications/" + app + "/roles", Map.of("roleIds", List.of(role)));
    sim.failNext(1, 503);
    http.get("/api/applications/" + app);
    http.get("/api/applications/" + app);
    http.delete("/api/applications/" + app + "/secrets/Default%20secret");
    http.send("GET", "/api/unknown", null, null, null);
    http.token(app, "wrong", LogtoSimulator.MANAGEMENT_API_RESOURCE, null);
    http.send("GET", "/oidc/jwks", null, null, null);

    assertThat(sim.callCounts()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "POST /api/applications/{id}/roles", 1L,
        "GET /api/applications/{id}", 2L,
        "DELETE /api/applications/{id}/secrets/{name}", 1L,
        "GET /api/unknown", 1L,
        "POST /oidc/token", 1L,
        "GET /oidc/jwks", 1L));
    assertThat(sim.managementCalls()).isEqualTo(5);
    assertThat(sim.tokenRequests()).isEqualTo(1);
    assertThat(sim.tokenRequests(app)).isEqualTo(1);
    assertThat(sim.tokenRequests(sim.bootstrapAppId())).isZero();

    sim.resetCounters();
    assertThat(sim.callCounts()).isEmpty();
    assertThat(sim.managementCalls()).isZero();
    assertThat(sim.tokenRequests()).isZero();
    assertThat(sim.tokenRequests(app)).isZero();
  }

  @Test
  void concurrentWritesKeepTheStateConsistent() throws Exception {
    String role = http.createM2mRole("shared");
    http.managementToken();
    int threads = 16;
    int perThread = 10;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Callable<Void>> tasks = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        tasks.add(() -> {
          for (int i = 0; i < perThread; i++) {
            String app = http.createApp("app-" + thread + "-" + i, "MachineToMachine");
            SimHttp.check(http.post("/api/applications/" + app + "/roles",
                Map.of("roleIds", List.of(role))), 201);
          }
          return null;
        });
      }
      for (Future<Void> f : pool.invokeAll(tasks)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(sim.applicationCount()).isEqualTo(threads * perThread);
    assertThat(http.get("/api/roles/" + role + "/applications?page_size=1")
        .header("Total-Number")).isEqualTo(String.valueOf(threads * perThread));
    assertThat(http.get("/api/applications").json()).hasSize(threads * perThread + 1);
  }
}
