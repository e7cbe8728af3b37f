/**
 * The VxData HTTP server: {@link io.vxdata.http.VxDataServer} serves a {@link io.vxdata.VxData}
 * over the routes of the API surface, {@link io.vxdata.http.ServerMain} is the runnable
 * {@code vxdata-server.jar}.
 */
package io.vxdata.http;
