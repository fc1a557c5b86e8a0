package io.logto.operator.sandbox.admission;

import com.google.re2j.Pattern;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Schema patterns matched with RE2, the regular expression syntax and semantics of the API server
 * (Go's regexp), rather than Java's: a pattern Java accepts and Go does not (a lookahead, a
 * backreference) is refused with the CRD, as a cluster refuses it.
 */
final class Re2Patterns implements RegularExpressionFactory {

  static final Re2Patterns INSTANCE = new Re2Patterns();

  private final Map<String, Pattern> compiled = new ConcurrentHashMap<>();

  private Re2Patterns() {}

  static Pattern compile(String regex) {
    return INSTANCE.compiled.computeIfAbsent(regex, Pattern::compile);
  }

  @Override
  public RegularExpression getRegularExpression(String regex) {
    Pattern pattern = compile(regex);
    // JSON Schema patterns are not anchored: a match anywhere counts, as in Go's MatchString.
    return value -> pattern.matcher(value).find();
  }
}
