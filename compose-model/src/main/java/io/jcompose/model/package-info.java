/**
 * The Compose model: immutable records of a loaded project ({@link io.jcompose.model.Project},
 * {@link io.jcompose.model.Service} and every sub-key of the Compose Specification), and the one
 * entry point that builds them, {@link io.jcompose.model.ProjectLoader#load(LoadOptions)}.
 * Errors are {@link io.jcompose.model.ComposeFileException}s whose message is the user-facing
 * line. Record components are in the order {@code docker compose config} prints them.
 */
package io.jcompose.model;
