package io.logto.operator.logto;

import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Calls {@code /api} with the operator's token: JSON in and out, one token renewal when Logto
 * answers 401 (the token expired or was revoked early), and every other error answer turned into a
 * {@link LogtoException}.
 */
final class ManagementApiCaller {

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final HttpUrl endpoint;
  private final RetryingExecutor executor;
  private final ManagementTokenProvider tokens;
  private final JsonCodec json;

  ManagementApiCaller(
      HttpUrl endpoint, RetryingExecutor executor, ManagementTokenProvider tokens, JsonCodec json) {
    this.endpoint = endpoint;
    this.executor = executor;
    this.tokens = tokens;
    this.json = json;
  }

  /** A call whose error answers throw. */
  Answer call(String method, ApiPath path, Map<String, String> query, Object body,
      boolean repeatable) {
    Answer answer = send(method, path, query, body, repeatable);
    if (!answer.isSuccess()) {
      throw json.error(answer, method + " " + path.template());
    }
    return answer;
  }

  /** A call that returns error answers too, for the callers that recover from some of them. */
  Answer send(String method, ApiPath path, Map<String, String> query, Object body,
      boolean repeatable) {
    HttpUrl.Builder builder = path.under(endpoint).newBuilder();
    query.forEach(builder::addQueryParameter);
    HttpUrl url = builder.build();
    RequestBody payload = body == null ? null : RequestBody.create(json.write(body), JSON);
    String token = tokens.token();
    Answer answer = executor.execute(request(method, url, payload, path, token), repeatable);
    if (answer.status() == 401) {
      // Logto refused the token before doing anything: safe to send again, even a create.
      tokens.invalidate(token);
      token = tokens.token();
      answer = executor.execute(request(method, url, payload, path, token), repeatable);
    }
    return answer;
  }

  private static Request request(
      String method, HttpUrl url, RequestBody payload, ApiPath path, String token) {
    return new Request.Builder()
        .url(url)
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json")
        .method(method, payload)
        .tag(PathTemplate.class, new PathTemplate(path.template()))
        .build();
  }
}
