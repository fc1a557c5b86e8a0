package io.logto.operator.logto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/** Builds the OkHttp client the Logto client runs on. */
final class HttpClientFactory {

  /**
   * Idle connections are dropped before Node's default keep-alive timeout (5 s) closes them on
   * Logto's side, so that a request rarely meets a connection the server has just closed: such a
   * failure after sending cannot be retried for a create.
   */
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(4);

  private HttpClientFactory() {}

  static OkHttpClient create(LogtoClientOptions options, Redactor redactor) {
    OkHttpClient.Builder builder =
        new OkHttpClient.Builder()
            .connectTimeout(options.connectTimeout())
            .callTimeout(options.callTimeout())
            .readTimeout(options.callTimeout())
            .writeTimeout(options.callTimeout())
            .connectionPool(
                new ConnectionPool(
                    Math.max(5, options.maxConcurrentCalls()),
                    KEEP_ALIVE.toMillis(),
                    TimeUnit.MILLISECONDS))
            // Our retry policy decides what is sent again: OkHttp's own silent retry could send
            // a create twice.
            .retryOnConnectionFailure(false)
            // Logto's API does not redirect; following one could leave https or the host.
            .followRedirects(false)
            .followSslRedirects(false)
            .eventListenerFactory(SendTracker.FACTORY)
            .addInterceptor(new RedactingLoggingInterceptor(redactor));
    if (options.caBundle() != null || options.caBundlePem() != null) {
      X509TrustManager trust = options.caBundle() != null
          ? trustingPlatformAnd(options.caBundle())
          : trustingPlatformAnd(options.caBundlePem().getBytes(StandardCharsets.UTF_8),
              "(PEM text)");
      builder.sslSocketFactory(sslContext(trust).getSocketFactory(), trust);
    }
    return builder.build();
  }

  /** The platform's trusted CAs plus every certificate of a PEM bundle. */
  static X509TrustManager trustingPlatformAnd(Path pemBundle) {
    try {
      return trustingPlatformAnd(Files.readAllBytes(pemBundle), pemBundle.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot use CA bundle " + pemBundle + ": " + e, e);
    }
  }

  static X509TrustManager trustingPlatformAnd(byte[] pem, String what) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int index = 0;
      for (X509Certificate ca : trustManager(null).getAcceptedIssuers()) {
        store.setCertificateEntry("platform-" + index++, ca);
      }
      Collection<? extends Certificate> extra = CertificateFactory.getInstance("X.509")
          .generateCertificates(new java.io.ByteArrayInputStream(pem));
      if (extra.isEmpty()) {
        throw new IllegalArgumentException("no certificate in CA bundle " + what);
      }
      for (Certificate ca : extra) {
        store.setCertificateEntry("bundle-" + index++, ca);
      }
      return trustManager(store);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("cannot use CA bundle " + what + ": " + e, e);
    }
  }

  private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("no X509TrustManager");
  }

  private static SSLContext sslContext(X509TrustManager trust) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trust}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS", e);
    }
  }
}
