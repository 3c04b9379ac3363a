/**
 * Stage 5: binding the normalised tree to the records while checking every key and type
 * ({@link io.jcompose.model.validate.Binder}), then the cross-reference checks ({@link
 * io.jcompose.model.validate.Consistency}); plus Go-compatible units (durations, byte sizes).
 */
package io.jcompose.model.validate;
