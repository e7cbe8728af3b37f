package io.vxdata;

/** What {@link VxData#delete(java.util.List, Cascade)} does with the active children of a deleted resource. */
public enum Cascade {
  /** Tombstone the whole active subtree with the resource (the default). */
  CASCADE,
  /** Refuse to delete a resource that still has active children. */
  RESTRICT
}
