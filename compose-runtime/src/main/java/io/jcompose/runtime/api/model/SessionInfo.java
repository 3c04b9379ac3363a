package io.jcompose.runtime.api.model;

/**
 * The daemon's first line on a session lease: the session held, the keep-alive in force for this
 * lease ({@code 10s}, {@code forever}) and how many leases now hold the session.
 */
public record SessionInfo(String id, String keepAlive, int leases) {}
