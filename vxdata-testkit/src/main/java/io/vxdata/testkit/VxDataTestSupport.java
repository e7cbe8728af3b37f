package io.vxdata.testkit;

import static io.vxdata.testkit.Fixtures.identifiers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.NewResource;
import io.vxdata.ReadOptions;
import io.vxdata.Resource;
import io.vxdata.VxData;
import io.vxdata.WriteResult;
import io.vxdata.VxDataException;
import io.vxdata.schema.PayloadType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every conformance test class shares: the store under test, opened fresh for each test by the
 * backend's {@link #newStore()}, and small helpers. Times come from {@link VxData#lastCommitTime()}
 * and the resources' own timestamps, never from a clock, so the tests are deterministic on any
 * backend.
 */
public abstract class VxDataTestSupport {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The store under test, opened by {@link #newStore()} before each test and closed after it. */
  protected VxData store;

  /**
   * Opens a store over an empty database: only the built-in payload types are registered and nothing
   * has been written. Called once per test.
   */
  protected abstract VxData newStore();

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  /**
   * Registers a payload type on the store under test. Backends whose {@link VxData} cannot register
   * types itself (the HTTP client: types are registered on the server) override this to register on
   * the store behind it.
   */
  protected void registerType(PayloadType type) {
    store.registerType(type);
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** Creates {@code resources} in one batch, checks the count, and returns the commit's time. */
  protected Instant create(NewResource... resources) {
    WriteResult created = store.create(List.of(resources));
    assertThat(created.count()).as("created").isEqualTo(resources.length);
    return created.committedAt();
  }

  /** Runs a write and returns {@link VxData#lastCommitTime()} after it. */
  protected Instant commit(Runnable write) {
    write.run();
    return store.lastCommitTime();
  }

  /** The latest state of one active resource, children included; fails if it is not readable. */
  protected Resource readOne(String identifier) {
    return readOne(identifier, null);
  }

  /** The state of one resource as of {@code asOf} ({@code null}: latest); fails if it is not readable. */
  protected Resource readOne(String identifier, Instant asOf) {
    List<Resource> found = store.read(List.of(identifier), at(asOf)).value();
    assertThat(found).as("read of '%s' as of %s", identifier, asOf).hasSize(1);
    return found.get(0);
  }

  /** Which of {@code identifiers} a read as of {@code asOf} ({@code null}: latest) returns. */
  protected List<String> readable(Instant asOf, String... identifiers) {
    return identifiers(store.read(List.of(identifiers), at(asOf).withoutChildren()).value());
  }

  private static ReadOptions at(Instant asOf) {
    return asOf == null ? ReadOptions.latest() : ReadOptions.asOf(asOf);
  }

  /** The children list a read as of {@code asOf} ({@code null}: latest) reports for {@code identifier}. */
  protected List<String> childrenOf(String identifier, Instant asOf) {
    return readOne(identifier, asOf).children().orElseThrow();
  }

  /**
   * Asserts that {@code write} fails with {@code type}, with a message mentioning each of
   * {@code mentioned}, and that no transaction was committed.
   */
  protected void assertRejected(Class<? extends VxDataException> type, ThrowingCallable write, String... mentioned) {
    Instant before = store.lastCommitTime();
    assertThatThrownBy(write).isInstanceOf(type).hasMessageContainingAll(mentioned);
    assertThat(store.lastCommitTime()).as("lastCommitTime after a rejected write").isEqualTo(before);
  }

  /** Parses a JSON object. */
  protected static ObjectNode json(String text) {
    try {
      return (ObjectNode) JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A payload type with one field of every kind, from a JSON Schema document. */
  protected static final String SAMPLE_SCHEMA = """
      {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
          "label": {"type": "string"},
          "count": {"type": "integer"},
          "ratio": {"type": "number"},
          "flag": {"type": "boolean"},
          "day": {"type": "string", "format": "date"},
          "taken_at": {"type": "string", "format": "date-time"},
          "grade": {"type": "string", "enum": ["low", "high"]},
          "tags": {"type": "array", "items": {"type": "string"}},
          "sizes": {"type": "array", "items": {"type": "integer"}}
        },
        "required": ["label"],
        "additionalProperties": false
      }
      """;
}
