/**
 * For implementers of {@link io.vxdata.VxData}: the checks every backend shares, so that stores and
 * adapters validate requests the same way ({@link io.vxdata.spi.WriteValidator},
 * {@link io.vxdata.spi.QueryValidator}). Not needed by users of the API.
 */
package io.vxdata.spi;
