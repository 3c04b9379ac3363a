package io.jcompose.model;

/**
 * The {@code extends} reference of a service.
 *
 * @param file the file holding the base service, or {@code null} for the same file
 * @param service the base service name
 */
public record ExtendsConfig(String file, String service) {}
