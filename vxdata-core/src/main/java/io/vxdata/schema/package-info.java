/**
 * Payload types (docs/behaviour.md §2.2): {@link io.vxdata.schema.PayloadType}s parsed from a flat JSON Schema
 * (2020-12) subset or derived from Java records, their {@link io.vxdata.schema.PayloadField}s and
 * the built-in types.
 */
package io.vxdata.schema;
