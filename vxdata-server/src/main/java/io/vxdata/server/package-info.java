/**
 * The runnable VxData server, {@code vxdata-server.jar}: {@link io.vxdata.server.ServerMain} parses
 * the command line, opens the store and the object storage (an embedded S3-compatible endpoint by
 * default) and serves them with {@link io.vxdata.http.VxDataServer}.
 */
package io.vxdata.server;
