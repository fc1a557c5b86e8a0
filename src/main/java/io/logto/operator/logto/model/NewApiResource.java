package io.logto.operator.logto.model;

/** Body of an API resource create; a null accessTokenTtl leaves Logto's default. */
public record NewApiResource(String name, String indicator, Integer accessTokenTtl) {}
