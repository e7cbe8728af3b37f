/**
 * The VxData HTTP adapter: {@link io.vxdata.http.VxDataServer} serves any {@link io.vxdata.VxData}
 * over the routes of the API surface, on Javalin. It brings no logging backend and no store; the
 * runnable {@code vxdata-server.jar} is the {@code vxdata-server} module.
 */
package io.vxdata.http;
