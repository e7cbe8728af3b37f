/**
 * The Java SDK of a VxData server: {@link io.vxdata.client.VxDataClient} implements
 * {@link io.vxdata.VxData} over HTTP with {@code java.net.http}. Depends on vxdata-core and Jackson
 * only.
 */
package io.vxdata.client;
