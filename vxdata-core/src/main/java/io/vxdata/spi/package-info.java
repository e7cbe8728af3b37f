/**
 * For implementations of {@link io.vxdata.VxData} and its adapters (stores, the HTTP server and
 * client), not for users of the API. Its types may change or go in any release: there is no
 * compatibility promise.
 *
 * <p>It holds what every backend shares so that all of them validate and convert the same way: the
 * write and query checks ({@link io.vxdata.spi.WriteValidator}, {@link io.vxdata.spi.QueryValidator}),
 * the identifier rule ({@link io.vxdata.spi.Identifiers}), the bounds on one request
 * ({@link io.vxdata.spi.Limits}) and the conversion of loosely typed values to canonical payload
 * values ({@link io.vxdata.spi.Values}).
 */
package io.vxdata.spi;
