package io.logto.operator.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Logto's search parameters (packages/core/src/utils/search.ts): {@code search} or {@code
 * search.<field>} values, {@code mode[.<field>]} ({@code like} by default, {@code exact}, {@code
 * posix}, {@code similar_to}), {@code joint} ({@code or} by default) and {@code isCaseSensitive}.
 * As in Logto, {@code like} is SQL LIKE: {@code search=shop} matches only "shop"; use {@code
 * %shop%} for a substring. Bad parameters are 400 {@code request.invalid_input}.
 */
final class SearchFilter {
  private record Match(String field, String mode, List<String> values) {}

  private final List<Match> matches;
  private final boolean and;
  private final boolean caseSensitive;

  private SearchFilter(List<Match> matches, boolean and, boolean caseSensitive) {
    this.matches = matches;
    this.and = and;
    this.caseSensitive = caseSensitive;
  }

  static SearchFilter parse(Request request, List<String> fields) {
    Map<String, String> modes = new LinkedHashMap<>();
    Map<String, List<String>> values = new LinkedHashMap<>();
    String joint = first(request, "joint", first(request, "jointMode", "or"));
    if (!joint.equals("or") && !joint.equals("and")) {
      throw Errors.requestInvalidInput("Search joint mode `" + joint + "` is not valid.");
    }
    boolean caseSensitive = "true".equals(first(request, "isCaseSensitive", "false"));
    request.query().forEach((key, vs) -> {
      if (key.startsWith("mode")) {
        String field = field(key, fields);
        String mode = vs.get(vs.size() - 1);
        if (!List.of("like", "exact", "similar_to", "posix").contains(mode)) {
          throw Errors.requestInvalidInput("Search match mode `" + mode + "` is not valid.");
        }
        modes.put(field, mode);
      } else if (key.startsWith("search")) {
        values.computeIfAbsent(field(key, fields), k -> new ArrayList<>()).addAll(vs);
      }
    });
    List<Match> matches = new ArrayList<>();
    values.forEach((field, vs) -> {
      String mode = modes.getOrDefault(field, modes.getOrDefault("", "like"));
      if (!mode.equals("exact") && vs.size() != 1) {
        throw Errors.requestInvalidInput(
            "Only one search value is allowed when search mode is not `exact`.");
      }
      if (vs.stream().anyMatch(String::isEmpty)) {
        throw Errors.requestInvalidInput("Search value cannot be empty.");
      }
      matches.add(new Match(field, mode, vs));
    });
    return new SearchFilter(matches, joint.equals("and"), caseSensitive);
  }

  private static String first(Request request, String name, String fallback) {
    String value = request.queryFirst(name);
    return value == null || value.isEmpty() ? fallback : value;
  }

  /** "" for the general field (all searchable fields). */
  private static String field(String key, List<String> fields) {
    String[] path = key.split("\\.", -1);
    if (path.length > 2) {
      throw Errors.requestInvalidInput("Unsupported nested search field path detected.");
    }
    if (path.length == 2 && !fields.contains(path[1])) {
      throw Errors.requestInvalidInput(
          "Search field `" + path[1] + "` is not valid, expect one of " + fields + ".");
    }
    return path.length == 2 ? path[1] : "";
  }

  /** Whether an entity, seen through {@code fieldValue}, matches the search. */
  <T> boolean test(T entity, List<String> fields, Function<String, Function<T, String>> getter) {
    if (matches.isEmpty()) {
      return true;
    }
    boolean result = and;
    for (Match match : matches) {
      List<String> targets = match.field().isEmpty() ? fields : List.of(match.field());
      boolean hit = false;
      for (String field : targets) {
        String value = getter.apply(field).apply(entity);
        if (value != null && matchesValue(match, value)) {
          hit = true;
          break;
        }
      }
      result = and ? result && hit : result || hit;
    }
    return result;
  }

  private boolean matchesValue(Match match, String value) {
    for (String wanted : match.values()) {
      switch (match.mode()) {
        case "exact" -> {
          if (caseSensitive ? value.equals(wanted)
              : value.toLowerCase(Locale.ROOT).equals(wanted.toLowerCase(Locale.ROOT))) {
            return true;
          }
        }
        case "posix" -> {
          if (regex(wanted, false).matcher(value).find()) {
            return true;
          }
        }
        case "similar_to" -> {
          if (regex(wanted.replace("%", ".*").replace("_", "."), true).matcher(value).matches()) {
            return true;
          }
        }
        default -> {
          if (like(wanted).matcher(value).matches()) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private Pattern regex(String pattern, boolean forceCaseSensitive) {
    try {
      return Pattern.compile(pattern, caseSensitive || forceCaseSensitive ? 0
          : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    } catch (PatternSyntaxException e) {
      throw Errors.requestInvalidInput("Invalid search pattern.");
    }
  }

  /** SQL LIKE (ILIKE unless case sensitive): % any run, _ one character, \ escapes. */
  private Pattern like(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else if (c == '%') {
        regex.append(".*");
      } else if (c == '_') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), (caseSensitive ? 0
        : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE) | Pattern.DOTALL);
  }
}
