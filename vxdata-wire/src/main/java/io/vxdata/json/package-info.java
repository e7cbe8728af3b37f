/**
 * The JSON wire format of VxData, shared by the HTTP server and the Java client: resources as flat
 * snake_case objects, request bodies read strictly (unknown keys and wrong JSON types are
 * {@link io.vxdata.ValidationException}s naming the key), queries, statistics and error bodies.
 * Depends on Jackson only.
 */
package io.vxdata.json;
