package io.logto.operator.logto.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A permission of an API resource. {@code resource} is present only in a role's scope list, where
 * Logto nests the owning resource.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Scope(
    String id, String resourceId, String name, String description, ApiResource resource) {}
