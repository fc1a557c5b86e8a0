package io.logto.operator.logto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logto.operator.logto.model.Application;
import io.logto.operator.logto.model.NewApplication;
import io.logto.operator.logto.model.NewRole;
import io.logto.operator.logto.model.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Token cache, retries, backoff, pagination and the concurrency bound, on the simulator. */
class LogtoClientResilienceTest extends SimulatorTestBase {

  private static <T> List<T> inParallel(int threads, int times, Callable<T> call)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < times; i++) {
        futures.add(pool.submit(() -> {
          start.await();
          return call.call();
        }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(20, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aThousandCallsShareOneToken() {
    for (int i = 0; i < 1_000; i++) {
      client.getApplication(logto.bootstrapAppId());
    }
    assertThat(count("GET /api/applications/{id}")).isEqualTo(1_000);
    assertThat(logto.tokenRequests()).isEqualTo(1);
    assertThat(operatorTokenRequests).containsExactly(true);
  }

  @Test
  void sixteenThreadsAtOnceShareOneToken() throws Exception {
    List<Application> apps =
        inParallel(16, 1_000, () -> client.getApplication(logto.bootstrapAppId()));
    assertThat(apps).hasSize(1_000).allSatisfy(app ->
        assertThat(app.id()).isEqualTo(logto.bootstrapAppId()));
    assertThat(logto.tokenRequests()).isEqualTo(1);
  }

  @Test
  void aRejectedTokenIsRenewedOnceAndTheCallRepeated() throws Exception {
    client.listRoles();
    logto.expireAllTokens();
    logto.resetCounters();

    assertThat(client.getApplication(logto.bootstrapAppId()).id())
        .isEqualTo(logto.bootstrapAppId());
    assertThat(logto.tokenRequests()).isEqualTo(1);
    assertThat(count("GET /api/applications/{id}")).isEqualTo(2);

    // Sixteen callers refused with the same stale token still cause one renewal.
    logto.expireAllTokens();
    logto.resetCounters();
    inParallel(16, 16, () -> client.getApplication(logto.bootstrapAppId()));
    assertThat(logto.tokenRequests()).isEqualTo(1);
  }

  @Test
  void a429WaitsForRetryAfter() {
    LogtoClient patient = clientWith(fastOptions().withBackoff(Duration.ofMillis(1),
        Duration.ofSeconds(5)));
    patient.listRoles();
    logto.failNext(1, 429, Duration.ofSeconds(1));

    long start = System.nanoTime();
    assertThat(patient.listRoles()).isNotEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(
        Duration.ofSeconds(1));
    assertThat(count("GET /api/roles")).isEqualTo(3);
  }

  @Test
  void retryAfterIsCappedByTheMaximumBackoff() {
    client.listRoles(); // maxBackoff 20 ms
    logto.failNext(1, 429, Duration.ofSeconds(30));
    long start = System.nanoTime();
    client.listRoles();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aCreateIsNotRetriedOn500ButIsOn503() {
    client.listRoles();
    logto.failNext(1, 500);
    assertThatThrownBy(() -> client.createRole(new NewRole("once", "x", null)))
        .isInstanceOfSatisfying(LogtoException.class, e -> assertThat(e.status()).isEqualTo(500));
    assertThat(count("POST /api/roles")).isEqualTo(1);

    logto.failNext(1, 503);
    Role created = client.createRole(new NewRole("twice", "x", null));
    assertThat(count("POST /api/roles")).isEqualTo(3);
    assertThat(client.listRoles()).extracting(Role::id).contains(created.id());
    assertThat(logto.roleCount()).isEqualTo(1);
  }

  /** The breaker sits in front of the retries: a failing Logto stops being called at all. */
  @Test
  void afterFiveFailedCallsInARowCallsAreRefusedWithoutBeingSent() {
    client.listRoles();
    logto.setFailureRate(1.0, 503);
    for (int i = 0; i < CircuitBreaker.THRESHOLD; i++) {
      assertThatThrownBy(() -> client.getApplication(logto.bootstrapAppId()))
          .isInstanceOfSatisfying(LogtoException.class, e -> assertThat(e.status()).isEqualTo(503));
    }
    assertThat(count("GET /api/applications/{id}")).as("each with its 3 retries")
        .isEqualTo(CircuitBreaker.THRESHOLD * 4L);

    logto.clearFaults();
    assertThatThrownBy(() -> client.listRoles())
        .isInstanceOfSatisfying(LogtoException.class, e -> {
          assertThat(e.isUnavailable()).isTrue();
          assertThat(e.getMessage()).startsWith("GET /api/roles: not sent");
        });
    assertThat(count("GET /api/roles")).as("the refused call never left").isEqualTo(1);
  }

  @Test
  void readsAreRetriedOn500() {
    client.listRoles();
    logto.failNext(2, 500);
    assertThat(client.getApplication(logto.bootstrapAppId()).id())
        .isEqualTo(logto.bootstrapAppId());
    assertThat(count("GET /api/applications/{id}")).isEqualTo(3);
  }

  @Test
  void listsReadEveryPage() throws Exception {
    inParallel(8, 250, () -> client.createApplication(new NewApplication("app", null, null)));
    logto.resetCounters();

    List<Application> apps = client.listApplications();
    assertThat(apps).hasSize(251).extracting(Application::id).doesNotHaveDuplicates()
        .contains(logto.bootstrapAppId());
    assertThat(count("GET /api/applications")).isEqualTo(3);
  }

  @Test
  void callsQueueBehindTheConcurrencyBound() throws Exception {
    LogtoClient bounded = clientWith(fastOptions().withMaxConcurrentCalls(4));
    bounded.listRoles();
    logto.setLatency(Duration.ofMillis(50));

    long start = System.nanoTime();
    inParallel(16, 32, () -> bounded.getApplication(logto.bootstrapAppId()));
    // 32 calls of at least 50 ms, at most 4 at a time: at least 8 rounds.
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(8 * 50));
  }
}
