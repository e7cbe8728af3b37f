/**
 * The Java SDK of a VxData server: {@link io.vxdata.client.VxDataClient} implements
 * {@link io.vxdata.VxData} over HTTP through the JDK's {@link java.net.HttpURLConnection} (keep-alive
 * connections; the JVM's proxy, authenticator and SSL defaults), reading answers straight into
 * resources. There is no option to pass another HTTP client: one transport, configured as the JVM is.
 * Depends on vxdata-core, vxdata-wire and Jackson only.
 */
package io.vxdata.client;
