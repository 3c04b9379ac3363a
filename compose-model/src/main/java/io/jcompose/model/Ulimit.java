package io.jcompose.model;

/**
 * One ulimit: either a single value ({@code nofile: 1024}) or a soft/hard pair.
 */
public sealed interface Ulimit {
  /** The soft limit. */
  long soft();

  /** The hard limit. */
  long hard();

  /**
   * One value for both limits.
   *
   * @param value soft and hard limit
   */
  record Single(long value) implements Ulimit {
    @Override
    public long soft() {
      return value;
    }

    @Override
    public long hard() {
      return value;
    }
  }

  /**
   * Separate soft and hard limits.
   *
   * @param soft soft limit
   * @param hard hard limit
   */
  record Range(long soft, long hard) implements Ulimit {}
}
