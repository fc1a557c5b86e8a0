package io.logto.operator.logto;

import okhttp3.Request;

/** Tag of a request naming its path template, e.g. {@code /api/roles/{id}}. */
record PathTemplate(String value) {

  static String of(Request request) {
    PathTemplate tag = request.tag(PathTemplate.class);
    return tag == null ? request.url().encodedPath() : tag.value();
  }
}
