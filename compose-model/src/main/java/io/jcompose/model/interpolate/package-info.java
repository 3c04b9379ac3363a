/**
 * Stage 2: variable substitution in values ({@code ${VAR:-default}} and friends) and the
 * {@code .env} / {@code env_file} reader.
 */
package io.jcompose.model.interpolate;
