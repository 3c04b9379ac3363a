/**
 * The Engine API's wire records (requests and responses), named after Docker's types.
 *
 * <p>Components are lower camel case in Java and UpperCamelCase on the wire ({@link
 * io.jcompose.runtime.api.Json}); {@code @JsonProperty} marks Docker's exceptions. Only the
 * fields real clients read or send are modelled (ENGINE-API.md §2); unknown input fields are
 * ignored.
 */
package io.jcompose.runtime.api.model;
