package io.logto.operator.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One HTTP request as the handlers see it: decoded path, query, headers, body, path params. */
final class Request {
  private final String method;
  private final String path;
  private final Map<String, List<String>> query;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final Map<String, String> pathParams;

  Request(String method, String path, Map<String, List<String>> query,
      Map<String, List<String>> headers, byte[] body, Map<String, String> pathParams) {
    this.method = method;
    this.path = path;
    this.query = query;
    this.headers = headers;
    this.body = body;
    this.pathParams = pathParams;
  }

  static Request read(HttpExchange exchange) throws IOException {
    URI uri = exchange.getRequestURI();
    Map<String, List<String>> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v));
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = readAll(in);
    }
    String rawPath = uri.getRawPath() == null ? "/" : uri.getRawPath();
    return new Request(exchange.getRequestMethod().toUpperCase(), rawPath,
        parseForm(uri.getRawQuery()), headers, body, Map.of());
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }

  Request withPathParams(Map<String, String> params) {
    return new Request(method, path, query, headers, body, params);
  }

  String method() {
    return method;
  }

  /** The raw (still percent-encoded) path. */
  String path() {
    return path;
  }

  String param(String name) {
    return pathParams.get(name);
  }

  Map<String, List<String>> query() {
    return query;
  }

  /** The first value of a query parameter, or null. */
  String queryFirst(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  List<String> queryAll(String name) {
    return query.getOrDefault(name, List.of());
  }

  String header(String name) {
    List<String> values = headers.get(name.toLowerCase());
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  byte[] body() {
    return body;
  }

  /** The JSON body; an empty body reads as an empty object, as koa-body does. */
  JsonNode json() {
    if (body.length == 0) {
      return Json.object();
    }
    try {
      return Json.parse(body);
    } catch (JsonProcessingException e) {
      throw Errors.invalidInput("body", "Invalid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw Errors.invalidInput("body", "Invalid JSON.");
    }
  }

  /** "http://host:port" from the Host header, as Koa's {@code request.origin}. */
  String origin(String fallback) {
    String host = header("host");
    return host == null ? fallback : "http://" + host;
  }

  /** Parses {@code a=1&b=2} (query strings and form bodies); '+' is a space. */
  static Map<String, List<String>> parseForm(String raw) {
    if (raw == null || raw.isEmpty()) {
      return Collections.emptyMap();
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decodeForm(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decodeForm(pair.substring(eq + 1));
      out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return out;
  }

  static String decodeForm(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  /** Decodes a path segment: percent escapes only, '+' stays '+'. */
  static String decodePathSegment(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    return decodeForm(s.replace("+", "%2B"));
  }
}
