/**
 * The JDBC store's implementation: not an API. Only {@link io.vxdata.jdbc.internal.JdbcVxData} is
 * public, so that {@link io.vxdata.jdbc.VxDataStore} can open it; use it through
 * {@link io.vxdata.VxData}. Everything here may change in any release.
 */
package io.vxdata.jdbc.internal;
