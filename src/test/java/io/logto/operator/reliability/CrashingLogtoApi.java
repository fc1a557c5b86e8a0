package io.logto.operator.reliability;

import io.logto.operator.logto.LogtoApi;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Logto client that "crashes the operator" right after a chosen call succeeded in Logto: that
 * call's result is lost, and every later call fails too, as if the process had died, until the
 * test restarts the operator with a healthy client.
 */
public final class CrashingLogtoApi {

  /** Thrown in place of a result: the operator never learns what Logto did. */
  static final class SimulatedCrash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SimulatedCrash(String method) {
      super("simulated crash after " + method);
    }
  }

  private final LogtoApi proxy;
  private final CountDownLatch crashed = new CountDownLatch(1);
  private final AtomicBoolean dead = new AtomicBoolean();

  public CrashingLogtoApi(LogtoApi real, String crashAfter) {
    this.proxy =
        (LogtoApi) Proxy.newProxyInstance(
            LogtoApi.class.getClassLoader(),
            new Class<?>[] {LogtoApi.class},
            (p, method, args) -> {
              if (dead.get()) {
                throw new SimulatedCrash("(process is down)");
              }
              Object result;
              try {
                result = method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              if (method.getName().equals(crashAfter) && dead.compareAndSet(false, true)) {
                crashed.countDown();
                throw new SimulatedCrash(crashAfter);
              }
              return result;
            });
  }

  public LogtoApi api() {
    return proxy;
  }

  public boolean awaitCrash(long seconds) throws InterruptedException {
    return crashed.await(seconds, TimeUnit.SECONDS);
  }
}
