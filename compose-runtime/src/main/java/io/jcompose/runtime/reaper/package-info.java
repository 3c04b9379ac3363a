/**
 * The session reaper: removes the containers, networks and volumes labelled
 * {@code io.jcompose.session=<id>} once no client connection has held that session for its
 * keep-alive (the job Testcontainers' Ryuk does, done inside the daemon). {@link
 * io.jcompose.runtime.reaper.SessionReaper} keeps the leases and timers; {@link
 * io.jcompose.runtime.reaper.SessionObjects} finds and removes a session's objects through the
 * engine's own ports, so removals log and emit events exactly as API calls do. See
 * {@code docs/reaper.md}.
 */
package io.jcompose.runtime.reaper;
