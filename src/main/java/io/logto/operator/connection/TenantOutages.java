package io.logto.operator.connection;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which connections' Logto stopped answering. While one is down its objects back off; the first
 * answer after the outage wakes them all at once, so they do not each wait out their backoff.
 */
public final class TenantOutages {

  private static final Logger LOG = LoggerFactory.getLogger(TenantOutages.class);

  private final Set<ConnectionKey> down = ConcurrentHashMap.newKeySet();
  private volatile Consumer<ConnectionKey> onRecovery = key -> {};

  /** What to do when a connection's Logto answers again (set once, when the operator is wired). */
  public void onRecovery(Consumer<ConnectionKey> listener) {
    this.onRecovery = listener;
  }

  /** A call through this connection got no answer or a 5xx/429 after its retries. */
  public void unavailable(ConnectionKey key) {
    if (down.add(key)) {
      LOG.warn("Logto of {} does not answer; its objects back off until it does", key.label());
    }
  }

  /** A call through this connection succeeded. */
  public void answered(ConnectionKey key) {
    if (down.remove(key)) {
      LOG.info("Logto of {} answers again; reconciling its objects now", key.label());
      onRecovery.accept(key);
    }
  }

  /** Whether the last word on this connection was an outage. */
  public boolean isDown(ConnectionKey key) {
    return down.contains(key);
  }
}
