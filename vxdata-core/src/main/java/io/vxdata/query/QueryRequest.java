package io.vxdata.query;

import io.vxdata.AsOf;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A query over the active resources of one payload type (docs/behaviour.md §6), or with
 * {@code includeDeleted} over its tombstones too, and with {@code updatedSince} over the versions
 * written after a time (docs/behaviour.md §14.3).
 *
 * @param payloadType the payload type to query (required)
 * @param filter the filter, or {@code null} for all
 * @param parentIdentifier restricts to resources under this one, or {@code null}
 * @param scope with a parent: direct children only, or every descendant
 *     ({@code include_indirect_parents})
 * @param identifiers restricts to this set, or {@code null}
 * @param selectColumns the fields to return besides {@code identifier} and {@code payload_type},
 *     metadata or payload fields alike, or {@code null} for all
 * @param sort the order; empty means {@code created_at} descending
 * @param cursor the {@code next_cursor} of the previous page, or {@code null} for the first page
 * @param limit the page size (default 100, at most 1000), or {@code null} for the default
 * @param offset the number of matching resources to skip before the page (at most {@link #MAX_OFFSET}; not
 *     with a cursor, which continues where its page ended), or {@code null} for none
 * @param asOf the time to read at (a cursor carries the first page's time and overrides it)
 * @param includeDeleted whether tombstones are returned too ({@code is_deleted: true}), as of the
 *     same time; with descendant scope, the walk then goes through deleted resources as well
 * @param updatedSince only resources whose version valid at the read time was written strictly after
 *     this time ({@code updated_at > updatedSince}), or {@code null} for all
 * @param includePermissions whether each result carries {@link io.vxdata.Resource#canEdit()} for the
 *     caller (docs/behaviour.md §13.4); it does not change the result set, so a cursor does not carry it
 */
public record QueryRequest(
    String payloadType,
    Filter filter,
    String parentIdentifier,
    Scope scope,
    List<String> identifiers,
    List<String> selectColumns,
    List<SortKey> sort,
    String cursor,
    Integer limit,
    Integer offset,
    AsOf asOf,
    boolean includeDeleted,
    Instant updatedSince,
    boolean includePermissions) {

  /** Page size when none is given. */
  public static final int DEFAULT_LIMIT = 100;
  /** Largest page size. */
  public static final int MAX_LIMIT = 1000;
  /**
   * Largest {@code offset}: an offset page reads and skips the rows before it, so deep pages go by
   * cursor, whose cost does not grow with depth.
   */
  public static final int MAX_OFFSET = 10_000;

  public QueryRequest {
    scope = scope == null ? Scope.CHILDREN : scope;
    identifiers = identifiers == null ? null : List.copyOf(identifiers);
    selectColumns = selectColumns == null ? null : List.copyOf(selectColumns);
    sort = sort == null ? List.of() : List.copyOf(sort);
    asOf = asOf == null ? AsOf.latest() : asOf;
    updatedSince = updatedSince == null ? null : updatedSince.truncatedTo(ChronoUnit.MICROS);
  }

  /** A query without an offset. */
  public QueryRequest(String payloadType, Filter filter, String parentIdentifier, Scope scope,
      List<String> identifiers, List<String> selectColumns, List<SortKey> sort, String cursor, Integer limit,
      AsOf asOf, boolean includeDeleted, Instant updatedSince, boolean includePermissions) {
    this(payloadType, filter, parentIdentifier, scope, identifiers, selectColumns, sort, cursor, limit, null, asOf,
        includeDeleted, updatedSince, includePermissions);
  }

  /** A query without permissions. */
  public QueryRequest(String payloadType, Filter filter, String parentIdentifier, Scope scope,
      List<String> identifiers, List<String> selectColumns, List<SortKey> sort, String cursor, Integer limit,
      AsOf asOf, boolean includeDeleted, Instant updatedSince) {
    this(payloadType, filter, parentIdentifier, scope, identifiers, selectColumns, sort, cursor, limit, asOf,
        includeDeleted, updatedSince, false);
  }

  /** A query of active resources only, without {@code updated_since}: the fields of docs/behaviour.md §6. */
  public QueryRequest(String payloadType, Filter filter, String parentIdentifier, Scope scope,
      List<String> identifiers, List<String> selectColumns, List<SortKey> sort, String cursor, Integer limit,
      AsOf asOf) {
    this(payloadType, filter, parentIdentifier, scope, identifiers, selectColumns, sort, cursor, limit, asOf, false,
        null);
  }

  /** Starts a query of {@code payloadType}. */
  public static Builder of(String payloadType) {
    return new Builder(payloadType);
  }

  /** A builder holding this request's values. */
  public Builder toBuilder() {
    Builder b = new Builder(payloadType);
    b.filter = filter;
    b.parentIdentifier = parentIdentifier;
    b.scope = scope;
    b.identifiers = identifiers;
    b.selectColumns = selectColumns;
    b.sort = new ArrayList<>(sort);
    b.cursor = cursor;
    b.limit = limit;
    b.offset = offset;
    b.asOf = asOf;
    b.includeDeleted = includeDeleted;
    b.updatedSince = updatedSince;
    b.includePermissions = includePermissions;
    return b;
  }

  /** The same query for the page after {@code page}: its cursor, and no offset (the cursor continues after it). */
  public QueryRequest next(QueryPage page) {
    return toBuilder().cursor(Objects.requireNonNull(page.nextCursor(), "the page was the last one")).offset(null)
        .build();
  }

  /** Builds a {@link QueryRequest}. */
  public static final class Builder {
    private final String payloadType;
    private Filter filter;
    private String parentIdentifier;
    private Scope scope = Scope.CHILDREN;
    private List<String> identifiers;
    private List<String> selectColumns;
    private List<SortKey> sort = new ArrayList<>();
    private String cursor;
    private Integer limit;
    private Integer offset;
    private AsOf asOf = AsOf.latest();
    private boolean includeDeleted;
    private Instant updatedSince;
    private boolean includePermissions;

    private Builder(String payloadType) {
      this.payloadType = payloadType;
    }

    public Builder filter(Filter filter) {
      this.filter = filter;
      return this;
    }

    /** Direct children of {@code parentIdentifier}. */
    public Builder children(String parentIdentifier) {
      this.parentIdentifier = parentIdentifier;
      this.scope = Scope.CHILDREN;
      return this;
    }

    /** Every descendant of {@code ancestorIdentifier}. */
    public Builder descendants(String ancestorIdentifier) {
      this.parentIdentifier = ancestorIdentifier;
      this.scope = Scope.DESCENDANTS;
      return this;
    }

    public Builder identifiers(List<String> identifiers) {
      this.identifiers = identifiers;
      return this;
    }

    public Builder select(String... columns) {
      this.selectColumns = List.of(columns);
      return this;
    }

    public Builder select(List<String> columns) {
      this.selectColumns = columns;
      return this;
    }

    /** Appends a sort key. */
    public Builder sort(SortKey key) {
      this.sort.add(key);
      return this;
    }

    public Builder sortBy(String field, SortOrder order) {
      return sort(new SortKey(field, order));
    }

    public Builder cursor(String cursor) {
      this.cursor = cursor;
      return this;
    }

    public Builder limit(Integer limit) {
      this.limit = limit;
      return this;
    }

    /**
     * Skips the first {@code offset} matching resources (at most {@link QueryRequest#MAX_OFFSET}); not with a
     * cursor. {@code null} or not called: none.
     */
    public Builder offset(Integer offset) {
      this.offset = offset;
      return this;
    }

    /** Reads at {@code asOf}; the latest state when not called. */
    public Builder asOf(AsOf asOf) {
      this.asOf = Objects.requireNonNull(asOf, "asOf");
      return this;
    }

    /** Reads at transaction time {@code asOf}. */
    public Builder asOf(Instant asOf) {
      return asOf(AsOf.at(asOf));
    }

    /**
     * Whether tombstones are returned too, with {@code is_deleted: true} (docs/behaviour.md §14.3);
     * {@code false}, active resources only, when not called.
     */
    public Builder includeDeleted(boolean includeDeleted) {
      this.includeDeleted = includeDeleted;
      return this;
    }

    /**
     * Only resources whose version valid at the read time was written strictly after {@code since}
     * (docs/behaviour.md §14.3); {@code null} for all.
     */
    public Builder updatedSince(Instant since) {
      this.updatedSince = since;
      return this;
    }

    /**
     * Whether each result carries {@link io.vxdata.Resource#canEdit()} for the caller
     * (docs/behaviour.md §13.4); {@code false} when not called.
     */
    public Builder includePermissions(boolean includePermissions) {
      this.includePermissions = includePermissions;
      return this;
    }

    public QueryRequest build() {
      return new QueryRequest(payloadType, filter, parentIdentifier, scope, identifiers, selectColumns, sort, cursor,
          limit, offset, asOf, includeDeleted, updatedSince, includePermissions);
    }
  }
}
