/**
 * Releases (docs/behaviour.md §14.4): names given for good to transaction times, read at with
 * {@link io.vxdata.AsOf#release(String)} and administered through {@link io.vxdata.release.Releases}.
 */
package io.vxdata.release;
