/**
 * The flow engine's contract: {@link io.autonf.flow.Transform} (forward = data to noise with log|det| and a
 * backward pass, inverse = noise to data), composition, the standard normal base and {@link io.autonf.flow.Flow}.
 */
package io.autonf.flow;
