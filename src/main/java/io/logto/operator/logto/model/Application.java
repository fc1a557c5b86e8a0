package io.logto.operator.logto.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * A Logto application as answered by {@code /api/applications}. The legacy {@code secret} field is
 * deliberately not mapped: it is never the credential (see the secrets endpoint).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Application(
    String id, String name, String description, String type, Map<String, Object> customData) {}
