/**
 * The Java SDK of a VxData server: {@link io.vxdata.client.VxDataClient} implements
 * {@link io.vxdata.VxData} over HTTP, with its own HTTP/1.1 socket transport for {@code http://} servers
 * reached directly and {@code java.net.http} otherwise. Depends on vxdata-core, vxdata-wire and Jackson
 * only.
 */
package io.vxdata.client;
