/**
 * Stage 3: merging several Compose files (and {@code extends}) with Compose's per-field rules
 * and the {@code !reset} / {@code !override} tags.
 */
package io.jcompose.model.merge;
