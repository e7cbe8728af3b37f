package io.vxdata.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * The events of one logger, kept in memory for a test. The request log line is written after the answer
 * is sent, so a test waits for it: {@link #await} blocks until a matching event arrives (bounded).
 */
final class CapturedLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  private final Logger logger;
  private final Level previousLevel;
  private final boolean previousAdditive;
  private final List<ILoggingEvent> events = new ArrayList<>();

  private CapturedLog(Logger logger, Level level) {
    this.logger = logger;
    this.previousLevel = logger.getLevel();
    this.previousAdditive = logger.isAdditive();
    setContext(logger.getLoggerContext());
    setName("captured-" + logger.getName());
    start();
    logger.setLevel(level);
    logger.setAdditive(false); // kept here, not printed as well
    logger.addAppender(this);
  }

  /** Captures {@code name} at {@code level} and above until closed, instead of printing it. */
  static CapturedLog of(String name, Level level) {
    return new CapturedLog((Logger) LoggerFactory.getLogger(name), level);
  }

  @Override
  protected synchronized void append(ILoggingEvent event) {
    event.prepareForDeferredProcessing();
    events.add(event);
    notifyAll();
  }

  /** Waits up to 30 s for an event that {@code matches} and returns it. */
  synchronized ILoggingEvent await(Predicate<ILoggingEvent> matches) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      for (ILoggingEvent e : events) {
        if (matches.test(e)) {
          return e;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no matching event logged on " + logger.getName() + " within 30 s; got " + messages());
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  synchronized List<String> messages() {
    return events.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Override
  public void close() {
    logger.detachAppender(this);
    logger.setLevel(previousLevel);
    logger.setAdditive(previousAdditive);
    stop();
  }
}
