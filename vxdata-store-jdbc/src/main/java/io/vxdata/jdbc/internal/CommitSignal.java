package io.vxdata.jdbc.internal;

/**
 * Tells the threads of this process that wait for a commit (long-polls of the change feed,
 * docs/behaviour.md §14.2) that one happened here. Commits of other processes are not signalled:
 * waiters also wake at an interval to look at the last commit time.
 */
final class CommitSignal {

  private long generation;
  private int waiting;

  /** The commits signalled so far: pass it to {@link #await} to wait for the next one. */
  synchronized long generation() {
    return generation;
  }

  /** A commit of this process has become visible to readers. */
  synchronized void committed() {
    generation++;
    notifyAll();
  }

  /**
   * Waits until a commit after {@code seen} is signalled, at most {@code millis}.
   *
   * @return whether one was
   */
  synchronized boolean await(long seen, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    waiting++;
    try {
      while (generation == seen) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return false;
        }
        wait(left);
      }
      return true;
    } finally {
      waiting--;
    }
  }

  /** How many threads wait now: for tests that must know a poller is waiting before they commit. */
  synchronized int waiting() {
    return waiting;
  }
}
