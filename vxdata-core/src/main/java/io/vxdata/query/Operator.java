package io.vxdata.query;

/** The comparison operators of the filter language (docs/behaviour.md §6.2), named as on the wire. */
public enum Operator {
  EQ("="),
  NE("!="),
  LT("<"),
  LE("<="),
  GT(">"),
  GE(">="),
  /** Inclusive range; the value is {@code [low, high]}. */
  BETWEEN("between"),
  /** The value is a non-empty list. */
  IN("in"),
  /** The value is a non-empty list; a null field matches neither {@code in} nor {@code not in}. */
  NOT_IN("not in"),
  /** SQL {@code LIKE} pattern ({@code %}, {@code _}, backslash escapes; no lone backslash at the end). */
  LIKE("like"),
  /** Case-insensitive {@code LIKE}. */
  ILIKE("ilike"),
  /**
   * The field contains a match of a regular expression, written in the subset every backend reads
   * alike: literal characters, and any non-alphanumeric character escaped with a backslash;
   * {@code .}, {@code ^}, {@code $}, alternation {@code |}, groups {@code (...)} and
   * {@code (?:...)}; bracket expressions {@code [...]} and {@code [^...]} with ranges; the classes
   * {@code \d \D \s \S \w \W} (inside brackets {@code \d \s \w}), and {@code \t \n \r};
   * quantifiers {@code * + ? {n} {n,} {n,m}} (n, m at most 255) after an atom, each optionally lazy
   * ({@code *?}). Anything else is rejected before any SQL runs.
   */
  REGEX("regex"),
  /** {@code true}: the field is null; {@code false}: it is not. */
  NULL("null"),
  /** A list field holds the value. */
  CONTAINS("contains");

  private final String symbol;

  Operator(String symbol) {
    this.symbol = symbol;
  }

  /** The operator as written in JSON filters, e.g. {@code "<="} or {@code "not in"}. */
  public String symbol() {
    return symbol;
  }

  /**
   * The operator written {@code symbol}.
   *
   * @throws IllegalArgumentException listing the operators if none is written so
   */
  public static Operator parse(String symbol) {
    for (Operator op : values()) {
      if (op.symbol.equals(symbol)) {
        return op;
      }
    }
    throw new IllegalArgumentException("unknown operator '" + symbol + "'; use one of "
        + "=, !=, <, <=, >, >=, between, in, not in, like, ilike, regex, null, contains");
  }

  /** Whether the operator compares an ordered value ({@code <} and friends). */
  public boolean isOrdering() {
    return this == LT || this == LE || this == GT || this == GE || this == BETWEEN;
  }
}
