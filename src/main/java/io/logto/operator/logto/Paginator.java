package io.logto.operator.logto;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads every page of a Logto list ({@code page}, {@code page_size}; the total in the {@code
 * Total-Number} header). Logto refuses a page_size above 100 ({@code koa-pagination.ts}: {@code
 * maxPageSize = 100}, else 400 {@code guard.invalid_pagination}).
 */
final class Paginator {

  static final int PAGE_SIZE = 100;

  private final ManagementApiCaller caller;
  private final JsonCodec json;

  Paginator(ManagementApiCaller caller, JsonCodec json) {
    this.caller = caller;
    this.json = json;
  }

  /**
   * All items, page after page, until the total is reached or a page comes back short. Without a
   * {@code Total-Number} header Logto did not paginate and the first answer holds everything. An
   * item seen twice (the list shifted between two pages) is kept once.
   */
  <T> List<T> readAll(
      ApiPath path, Map<String, String> query, TypeReference<List<T>> type, Function<T, String> id) {
    List<T> all = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (int page = 1; ; page++) {
      Map<String, String> pageQuery = new LinkedHashMap<>(query);
      pageQuery.put("page", Integer.toString(page));
      pageQuery.put("page_size", Integer.toString(PAGE_SIZE));
      Answer answer = caller.call("GET", path, pageQuery, null, true);
      List<T> items = json.read(answer, type, "GET " + path.template());
      for (T item : items) {
        if (seen.add(id.apply(item))) {
          all.add(item);
        }
      }
      Long total = total(answer);
      if (total == null || items.size() < PAGE_SIZE || (long) page * PAGE_SIZE >= total) {
        return all;
      }
    }
  }

  private static Long total(Answer answer) {
    String header = answer.header("Total-Number");
    if (header == null) {
      return null;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
