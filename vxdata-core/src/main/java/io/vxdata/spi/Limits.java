package io.vxdata.spi;

import io.vxdata.ValidationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The bounds every backend enforces on one request, before any SQL runs: what a database would
 * reject (a NUL character, an index entry over its size, a year it cannot store) answers 400 naming
 * the field instead of failing inside the database, and no request can cause unbounded work.
 * The README lists them per route.
 */
public final class Limits {

  /**
   * Most items one write or read call may name: resources created, updated, deleted, restored or read.
   * The store binds a batch's identifiers as one array, and H2 takes at most 65,536 elements.
   */
  public static final int MAX_BATCH = 50_000;
  /** Most identifiers a query's {@code identifiers} scope may list. */
  public static final int MAX_QUERY_IDENTIFIERS = 10_000;
  /** Most elements of a list value: {@code derived_from} and list payload fields. */
  public static final int MAX_LIST_ITEMS = 1_000;
  /**
   * Longest string in UTF-8 bytes in an indexed column (a payload field marked {@code x-vxdata-index},
   * registration keys): an index entry must fit a B-tree page (PostgreSQL: about 2,700 bytes, with
   * the identifier beside it).
   */
  public static final int MAX_INDEXED_STRING_BYTES = 2_000;
  /**
   * The page size of a paged read (queries, history, changes, releases, export jobs): {@code limit},
   * or {@link io.vxdata.query.QueryRequest#DEFAULT_LIMIT} when it is null.
   *
   * @throws ValidationException naming {@code limit} unless it is 1 to {@link io.vxdata.query.QueryRequest#MAX_LIMIT}
   */
  public static int pageSize(Integer limit) {
    int size = limit == null ? io.vxdata.query.QueryRequest.DEFAULT_LIMIT : limit;
    if (size < 1 || size > io.vxdata.query.QueryRequest.MAX_LIMIT) {
      throw ValidationException.of(null, "limit", "must be between 1 and %d, not %d",
          io.vxdata.query.QueryRequest.MAX_LIMIT, size);
    }
    return size;
  }

  /** Longest string in characters in any other column or filter value. */
  public static final int MAX_STRING_LENGTH = 1_000_000;
  /** Longest {@code like}, {@code ilike} or {@code regex} pattern, in characters. */
  public static final int MAX_PATTERN_LENGTH = 1_000;
  /** Most conditions in one filter. */
  public static final int MAX_FILTER_CONDITIONS = 200;
  /** Deepest nesting of {@code and}, {@code or}, {@code not} and lists in one filter. */
  public static final int MAX_FILTER_DEPTH = 32;
  /**
   * Most values in one filter, over all its conditions ({@code in} lists counted element by element):
   * two full {@code in} lists of {@link io.vxdata.spi.QueryValidator#MAX_IN_VALUES}.
   */
  public static final int MAX_FILTER_VALUES = 20_000;
  /** Most names in {@code select_columns} or {@code sort_by}. */
  public static final int MAX_COLUMNS = 1_000;
  /** Most presigned URLs one object storage call makes: items of a batch, relative paths of a directory. */
  public static final int MAX_PRESIGN_ITEMS = 1_000;
  /** Earliest date and time a value or {@code as_of} may name: the start of year 1, UTC. */
  public static final Instant MIN_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
  /** Latest date and time a value or {@code as_of} may name: the end of year 9999, UTC. */
  public static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999999Z");

  private Limits() {}

  /**
   * Why {@code text} cannot be stored or compared, or {@code null} if it can: a NUL character or an
   * unpaired surrogate (neither survives PostgreSQL's UTF-8), or more than {@link #MAX_STRING_LENGTH}
   * characters, or for an {@code indexed} column more than {@link #MAX_INDEXED_STRING_BYTES} bytes.
   */
  public static String textProblem(String text, boolean indexed) {
    if (text.length() > MAX_STRING_LENGTH) {
      return "is longer than " + MAX_STRING_LENGTH + " characters";
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u0000') {
        return "contains a NUL character (U+0000), which cannot be stored";
      }
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "is not valid Unicode: it holds an unpaired surrogate at position " + i;
      }
    }
    if (indexed && text.length() * 3 > MAX_INDEXED_STRING_BYTES
        && text.getBytes(StandardCharsets.UTF_8).length > MAX_INDEXED_STRING_BYTES) {
      return "is longer than " + MAX_INDEXED_STRING_BYTES + " bytes in UTF-8, the most an indexed field holds";
    }
    return null;
  }

  /** Why {@code instant} is out of range, or {@code null} if it lies between {@link #MIN_INSTANT} and {@link #MAX_INSTANT}. */
  public static String instantProblem(Instant instant) {
    return instant.isBefore(MIN_INSTANT) || instant.isAfter(MAX_INSTANT)
        ? "must lie between the years 1 and 9999, not " + instant : null;
  }

  /** Why {@code date} is out of range, or {@code null} if its year is 1 to 9999. */
  public static String dateProblem(LocalDate date) {
    return date.getYear() < 1 || date.getYear() > 9999 ? "must lie between the years 1 and 9999, not " + date : null;
  }

  /**
   * Checks the size of a list a request names.
   *
   * @throws ValidationException naming {@code field} if {@code size} is over {@code max}
   */
  public static void checkCount(int size, int max, String field, String what) {
    if (size > max) {
      throw ValidationException.of(null, field, "at most %,d %s per request, not %,d", max, what, size);
    }
  }
}
