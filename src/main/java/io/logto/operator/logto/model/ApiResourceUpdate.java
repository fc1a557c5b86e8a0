package io.logto.operator.logto.model;

/** A partial update of an API resource: null fields are left unchanged. */
public record ApiResourceUpdate(String name, Integer accessTokenTtl) {}
