/**
 * Queries (docs/behaviour.md §6): a {@link io.vxdata.query.QueryRequest} over one payload type with a
 * {@link io.vxdata.query.Filter}, a scope, an order of {@link io.vxdata.query.SortKey}s and keyset
 * pages returned as {@link io.vxdata.query.QueryPage}s. Requests are checked against the payload
 * type's schema by {@link io.vxdata.spi.QueryValidator} before a store compiles them.
 */
package io.vxdata.query;
