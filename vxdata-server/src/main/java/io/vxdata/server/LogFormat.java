package io.vxdata.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Iterator;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * How the server's log lines look ({@code --log-format}): {@code text}, one line per event as the jar's
 * {@code logback.xml} lays it out, or {@code json}, one JSON object per line for log shippers (logback's
 * {@link JsonEncoder}): {@code timestamp} (epoch ms), {@code level}, {@code threadName}, {@code
 * loggerName}, {@code mdc} (with {@code request_id} during a request), {@code kvpList} (the request log's
 * fields: method, path, status, duration_ms, bytes, request_id, principal), {@code formattedMessage} and,
 * for an exception, {@code throwable} with its stack trace; no line of it spans two lines.
 */
enum LogFormat {
  TEXT,
  JSON;

  /**
   * The format named {@code text} or {@code json}.
   *
   * @throws ServerCommandLine.UsageException for another name
   */
  static LogFormat parse(String name) {
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "text" -> TEXT;
      case "json" -> JSON;
      default -> throw new ServerCommandLine.UsageException("--log-format must be text or json, not '" + name + "'");
    };
  }

  /**
   * Makes the root logger's appenders write this format. Call it before the first log line; {@code text}
   * leaves the configuration as it is. Does nothing when SLF4J is not bound to logback (an embedder's
   * own backend decides its format).
   */
  void apply() {
    if (this == TEXT || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
        JsonEncoder json = new JsonEncoder();
        json.setContext(context);
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        json.setWithContext(false);
        json.setWithMarkers(false);
        json.setWithMessage(false);
        json.setWithArguments(false);
        json.setWithFormattedMessage(true);
        json.start();
        appender.stop();
        appender.setEncoder(json);
        appender.start();
      }
    }
  }
}
