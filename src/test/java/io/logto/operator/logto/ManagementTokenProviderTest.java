package io.logto.operator.logto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logto.operator.logto.model.TokenGrant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ManagementTokenProviderTest {

  /** A clock the test moves by hand. */
  static final class MovableClock extends Clock {
    private volatile Instant now = Instant.parse("2026-03-01T10:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private final MovableClock clock = new MovableClock();
  private final AtomicInteger grants = new AtomicInteger();
  private final List<Boolean> reported = new ArrayList<>();
  private final LogtoCallListener listener = new LogtoCallListener() {
    @Override
    public synchronized void onOperatorTokenRequest(boolean success) {
      reported.add(success);
    }
  };

  private Supplier<TokenGrant> granting(Duration lifetime) {
    return () -> {
      int n = grants.incrementAndGet();
      return new TokenGrant("token-" + n, clock.instant().plus(lifetime), Set.of("all"));
    };
  }

  @Test
  void reusesTheTokenUntilTheMarginBeforeExpiry() {
    ManagementTokenProvider tokens = new ManagementTokenProvider(
        granting(Duration.ofSeconds(3600)), Duration.ofSeconds(60), clock, listener);
    assertThat(tokens.token()).isEqualTo("token-1");
    clock.advance(Duration.ofSeconds(3539));
    assertThat(tokens.token()).isEqualTo("token-1");
    clock.advance(Duration.ofSeconds(1));
    assertThat(tokens.token()).isEqualTo("token-2");
    assertThat(reported).containsExactly(true, true);
  }

  @Test
  void neverRenewsEarlierThanHalfTheLifetime() {
    ManagementTokenProvider tokens = new ManagementTokenProvider(
        granting(Duration.ofSeconds(100)), Duration.ofSeconds(600), clock, listener);
    assertThat(tokens.token()).isEqualTo("token-1");
    clock.advance(Duration.ofSeconds(49));
    assertThat(tokens.token()).isEqualTo("token-1");
    clock.advance(Duration.ofSeconds(1));
    assertThat(tokens.token()).isEqualTo("token-2");
  }

  @Test
  void invalidatingAReplacedTokenKeepsTheNewOne() {
    ManagementTokenProvider tokens = new ManagementTokenProvider(
        granting(Duration.ofSeconds(3600)), Duration.ofSeconds(60), clock, listener);
    String first = tokens.token();
    tokens.invalidate(first);
    String second = tokens.token();
    tokens.invalidate(first);
    assertThat(tokens.token()).isEqualTo(second).isEqualTo("token-2");
    assertThat(grants).hasValue(2);
  }

  @Test
  void concurrentCallersShareOneRequest() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Supplier<TokenGrant> slow = () -> {
      grants.incrementAndGet();
      try {
        release.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new TokenGrant("shared", clock.instant().plusSeconds(3600), Set.of("all"));
    };
    ManagementTokenProvider tokens =
        new ManagementTokenProvider(slow, Duration.ofSeconds(60), clock, listener);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        results.add(pool.submit(tokens::token));
      }
      Thread.sleep(100); // let them all queue up behind the one request
      release.countDown();
      for (Future<String> result : results) {
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("shared");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(grants).hasValue(1);
    assertThat(reported).containsExactly(true);
  }

  @Test
  void aFailedRequestIsReportedAndTheNextCallTriesAgain() {
    AtomicInteger calls = new AtomicInteger();
    ManagementTokenProvider tokens = new ManagementTokenProvider(() -> {
      if (calls.incrementAndGet() == 1) {
        throw new LogtoException(401, "oidc.invalid_client", "refused");
      }
      return new TokenGrant("ok", clock.instant().plusSeconds(3600), Set.of("all"));
    }, Duration.ofSeconds(60), clock, listener);
    assertThatThrownBy(tokens::token)
        .isInstanceOf(LogtoException.class)
        .extracting(e -> ((LogtoException) e).code())
        .isEqualTo("oidc.invalid_client");
    assertThat(tokens.token()).isEqualTo("ok");
    assertThat(reported).containsExactly(false, true);
  }
}
