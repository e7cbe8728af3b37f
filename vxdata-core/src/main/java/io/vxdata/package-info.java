/**
 * The VxData API: the {@link io.vxdata.VxData} interface of a bitemporal catalog of hierarchical,
 * typed resources, the values it takes and returns ({@link io.vxdata.NewResource},
 * {@link io.vxdata.Resource}, {@link io.vxdata.ResourceUpdate}, {@link io.vxdata.ReadOptions}, the
 * write results {@link io.vxdata.WriteResult} and {@link io.vxdata.Registration}, the statistics
 * records) and its exceptions ({@link io.vxdata.ValidationException},
 * {@link io.vxdata.NotFoundException}, {@link io.vxdata.StoreException}). Implementations live in
 * other modules: the JDBC store, the HTTP client.
 */
package io.vxdata;
