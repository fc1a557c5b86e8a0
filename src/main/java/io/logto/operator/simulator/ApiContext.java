package io.logto.operator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import java.util.function.Function;

/** What the Management API route handlers share: the tenant, the views and version switches. */
record ApiContext(TenantState state, Views views, Compatibility compatibility, String endpoint) {

  /** A JSON array answer, paginated (headers added) unless pagination is disabled. */
  <T> Reply page(Request request, Pagination pagination, List<T> all,
      Function<T, ? extends JsonNode> view) {
    ArrayNode array = Json.array();
    for (T item : pagination.slice(all)) {
      array.add(view.apply(item));
    }
    return pagination.decorate(Reply.json(200, array), request, request.origin(endpoint),
        all.size());
  }
}
