package io.logto.operator.logto;

import io.logto.operator.logto.model.TokenGrant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's Management API token, shared by every call of the client. It is renewed {@code
 * refreshMargin} before it expires (at most half its lifetime before), and concurrent callers that
 * find no valid token share one request for a new one.
 */
final class ManagementTokenProvider {

  private static final Logger LOG = LoggerFactory.getLogger(ManagementTokenProvider.class);

  private final Supplier<TokenGrant> grant;
  private final Duration refreshMargin;
  private final Clock clock;
  private final LogtoCallListener listener;

  private String token;
  private Instant renewAt = Instant.MIN;
  private CompletableFuture<String> inFlight;

  ManagementTokenProvider(
      Supplier<TokenGrant> grant, Duration refreshMargin, Clock clock, LogtoCallListener listener) {
    this.grant = grant;
    this.refreshMargin = refreshMargin.isNegative() ? Duration.ZERO : refreshMargin;
    this.clock = clock;
    this.listener = listener;
  }

  /** A valid token, from the cache or from Logto. */
  String token() {
    CompletableFuture<String> pending;
    boolean mine = false;
    synchronized (this) {
      if (token != null && clock.instant().isBefore(renewAt)) {
        return token;
      }
      if (inFlight == null) {
        inFlight = new CompletableFuture<>();
        mine = true;
      }
      pending = inFlight;
    }
    if (mine) {
      fetchInto(pending);
    }
    try {
      return pending.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /**
   * Forgets {@code rejected} after Logto refused it (401), unless it was already replaced: of many
   * callers refused with the same token, only the first causes a new request.
   */
  synchronized void invalidate(String rejected) {
    if (rejected != null && rejected.equals(token)) {
      token = null;
      renewAt = Instant.MIN;
    }
  }

  private void fetchInto(CompletableFuture<String> pending) {
    Instant asked = clock.instant();
    try {
      TokenGrant fresh = grant.get();
      Instant renew = renewalTime(asked, fresh.expiresAt());
      synchronized (this) {
        token = fresh.accessToken();
        renewAt = renew;
        inFlight = null;
      }
      LOG.debug("Got a Management API token, valid until {}, renewed from {}",
          fresh.expiresAt(), renew);
      notifyListener(true);
      pending.complete(fresh.accessToken());
    } catch (RuntimeException e) {
      synchronized (this) {
        inFlight = null;
      }
      notifyListener(false);
      pending.completeExceptionally(e);
    }
  }

  private Instant renewalTime(Instant asked, Instant expiresAt) {
    Duration lifetime = Duration.between(asked, expiresAt);
    if (lifetime.isNegative() || lifetime.isZero()) {
      return asked;
    }
    Duration margin = refreshMargin.compareTo(lifetime.dividedBy(2)) > 0
        ? lifetime.dividedBy(2)
        : refreshMargin;
    return expiresAt.minus(margin);
  }

  private void notifyListener(boolean success) {
    try {
      listener.onOperatorTokenRequest(success);
    } catch (RuntimeException e) {
      LOG.warn("Call listener failed on a token request", e);
    }
  }
}
