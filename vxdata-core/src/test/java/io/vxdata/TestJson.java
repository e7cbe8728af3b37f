package io.vxdata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Test support: JSON documents written inline in tests. */
public final class TestJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TestJson() {}

  /** {@code text} parsed; a test's own JSON that does not parse is a broken test, so unchecked. */
  public static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
