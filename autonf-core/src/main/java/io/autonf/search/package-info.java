/**
 * The AutoNF search (the paper's Section 3): a {@link io.autonf.search.MixtureFlow} mixes the densities of all
 * architectures of a {@link io.autonf.search.SearchSpace}, weighted by softmax(α) per layer, and evaluates the
 * mixture by walking the tree of paths so that shared prefixes run once; {@link io.autonf.search.SearchLoss}
 * selects the objective and {@link io.autonf.search.LayerRoles} which layers are searched, fixed or absent.
 *
 * <p>{@link io.autonf.search.AutoNfSearch} runs the bilevel loop (the paper's Algorithm 1, first-order): a θ
 * step on a training batch and an α step on a validation batch with λ·C_mix(α) added, block by block as the
 * {@link io.autonf.search.SearchSchedule} says ({@link io.autonf.search.SearchMethod#BLOCK} or
 * {@link io.autonf.search.SearchMethod#GROW}), everything configured and validated by
 * {@link io.autonf.search.SearchConfig}. It returns a {@link io.autonf.search.SearchResult} with the argmax
 * architecture and the {@link io.autonf.search.AlphaTrajectory} ({@link io.autonf.search.TrajectoryFiles} writes
 * it as CSV). {@link io.autonf.search.SearchPipeline} wraps a whole run: cost table, search, retraining from
 * scratch, the reference with the same budget, evaluation and figure of merit. {@link io.autonf.search.Fig3} is
 * the paper's Section 4.1 experiment. Progress leaves through {@link io.autonf.event.SearchListener}.
 */
package io.autonf.search;
