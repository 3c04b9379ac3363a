/**
 * Durable engine state: {@link io.jcompose.runtime.state.StateStore} (one atomically written JSON
 * record per object) and {@link io.jcompose.runtime.state.ObjectLocks} (per-object serialisation).
 *
 * <p>A package of its own, not part of {@code daemon}: the volume, container, image and network
 * services all keep records here, and the daemon package wires those services, so keeping the
 * store apart keeps every arrow one-way.
 */
package io.jcompose.runtime.state;
