package io.logto.operator.simulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Logto's koa-pagination: {@code page} (from 1) and {@code page_size} (default 20, at most 100; a
 * bad value is 400 {@code guard.invalid_pagination}). Where pagination is optional and neither
 * parameter is given, the whole list is answered without pagination headers; otherwise the answer
 * carries {@code Total-Number} and {@code Link} (first, last, prev, next).
 */
final class Pagination {
  static final int DEFAULT_PAGE_SIZE = 20;
  static final int MAX_PAGE_SIZE = 100;

  private final boolean disabled;
  private final int page;
  private final int pageSize;

  private Pagination(boolean disabled, int page, int pageSize) {
    this.disabled = disabled;
    this.page = page;
    this.pageSize = pageSize;
  }

  /** Reads the parameters; {@code optional} as {@code koaPagination({ isOptional: true })}. */
  static Pagination parse(Request request, boolean optional) {
    String rawPage = single(request, "page");
    String rawSize = single(request, "page_size");
    boolean disabled = optional && isBlank(rawPage) && isBlank(rawSize);
    int page = isBlank(rawPage) ? 1 : positive(rawPage, Integer.MAX_VALUE);
    int size = isBlank(rawSize) ? DEFAULT_PAGE_SIZE : positive(rawSize, MAX_PAGE_SIZE);
    return new Pagination(disabled, page, size);
  }

  private static String single(Request request, String name) {
    List<String> values = request.queryAll(name);
    if (values.size() > 1) {
      throw Errors.invalidPagination();
    }
    return values.isEmpty() ? null : values.get(0);
  }

  private static boolean isBlank(String s) {
    return s == null || s.isEmpty();
  }

  private static int positive(String raw, int max) {
    double value;
    try {
      value = Double.parseDouble(raw.trim());
    } catch (NumberFormatException e) {
      throw Errors.invalidPagination();
    }
    if (!(value > 0) || value > max || value != Math.rint(value)) {
      throw Errors.invalidPagination();
    }
    return (int) value;
  }

  boolean disabled() {
    return disabled;
  }

  /** The requested page of {@code all} (or all of it when pagination is disabled). */
  <T> List<T> slice(List<T> all) {
    if (disabled) {
      return all;
    }
    long offset = (long) (page - 1) * pageSize;
    if (offset >= all.size()) {
      return List.of();
    }
    return all.subList((int) offset, (int) Math.min(all.size(), offset + pageSize));
  }

  /**
   * Adds {@code Total-Number} and {@code Link} headers as Logto does. Links use the request origin
   * and the path below the {@code /api} mount, with the original query and {@code page} replaced.
   */
  Reply decorate(Reply reply, Request request, String origin, int total) {
    if (disabled) {
      return reply;
    }
    int totalPages = Math.max(1, (int) Math.ceil(total / (double) pageSize));
    reply.header("Total-Number", String.valueOf(total));
    reply.header("Link", link(request, origin, 1, "first"));
    reply.header("Link", link(request, origin, totalPages, "last"));
    if (page > 1) {
      reply.header("Link", link(request, origin, page - 1, "prev"));
    }
    if (page < totalPages) {
      reply.header("Link", link(request, origin, page + 1, "next"));
    }
    return reply;
  }

  private static String link(Request request, String origin, int page, String rel) {
    Map<String, String> params = new LinkedHashMap<>();
    request.query().forEach((k, v) -> params.put(k, String.join(",", v)));
    params.put("page", String.valueOf(page));
    StringBuilder query = new StringBuilder();
    params.forEach((k, v) -> {
      if (query.length() > 0) {
        query.append('&');
      }
      query.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
    });
    String path = request.path().startsWith("/api/") ? request.path().substring(4)
        : request.path();
    return "<" + origin + path + "?" + query + ">; rel=\"" + rel + "\"";
  }
}
