/**
 * What {@code jcompose config} prints: {@link io.jcompose.model.print.ConfigPrinter} gives the
 * canonical YAML and JSON of {@code docker compose config} and the {@code --services},
 * {@code --volumes}, {@code --networks}, {@code --profiles}, {@code --images} lists.
 */
package io.jcompose.model.print;
