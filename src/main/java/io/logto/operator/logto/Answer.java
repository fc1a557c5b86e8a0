package io.logto.operator.logto;

import okhttp3.Headers;

/** One HTTP answer from Logto, its body already read (Logto's answers are small). */
record Answer(int status, Headers headers, String body) {

  boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  String header(String name) {
    return headers.get(name);
  }
}
