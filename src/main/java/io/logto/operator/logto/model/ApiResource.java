package io.logto.operator.logto.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** A Logto API resource; {@code scopes} is filled only where Logto includes them. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApiResource(
    String id,
    String name,
    String indicator,
    boolean isDefault,
    Integer accessTokenTtl,
    List<Scope> scopes) {}
