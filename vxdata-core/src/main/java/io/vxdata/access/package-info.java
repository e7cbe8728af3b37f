/**
 * Who may do what (docs/behaviour.md §13): principals, their grants per datasource, their tokens, and the log of
 * commits. Administered through {@link io.vxdata.access.Access}; enforced by the {@link io.vxdata.VxData}
 * view {@link io.vxdata.VxData#as(String)} returns.
 */
package io.vxdata.access;
