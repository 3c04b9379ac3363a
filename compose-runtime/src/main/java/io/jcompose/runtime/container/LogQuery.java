package io.jcompose.runtime.container;

import java.time.Instant;

/**
 * What {@code logs} returns: which streams, a time window, the last {@code tail} records, and
 * whether to keep following the log until the container exits.
 *
 * @param tail null or negative = all
 */
public record LogQuery(boolean stdout, boolean stderr, Instant since, Instant until, Integer tail, boolean follow) {
    public static final LogQuery ALL = new LogQuery(true, true, null, null, null, false);

    public LogQuery withFollow(boolean f) {
        return new LogQuery(stdout, stderr, since, until, tail, f);
    }

    public LogQuery withTail(Integer t) {
        return new LogQuery(stdout, stderr, since, until, t, follow);
    }

    boolean accepts(LogRecord r) {
        if (r.stream().equals("stdout") ? !stdout : !stderr) return false;
        if (since != null && r.time().isBefore(since)) return false;
        return until == null || !r.time().isAfter(until);
    }
}
