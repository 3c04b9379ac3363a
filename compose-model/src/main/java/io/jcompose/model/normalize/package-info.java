/**
 * Stage 4: short syntaxes to long forms, defaults, absolute paths, names, duplicate removal; and
 * the short-syntax parsers (ports, volumes, shell words).
 */
package io.jcompose.model.normalize;
