/**
 * Evaluation of trained flows: the sample-quality metrics of Naeem et al. (2020) exactly as the {@code prdc}
 * package computes them ({@link io.autonf.metric.Prdc}), the test NLL and metrics of one flow
 * ({@link io.autonf.metric.Evaluator}, {@link io.autonf.metric.FlowEvaluation}), and the AutoNF paper's figure
 * of merit against a reference flow ({@link io.autonf.metric.Fom}).
 *
 * <p>The k-NN search behind the metrics is exact and tiled: a Vector API kernel computes dot products of 4 x 32
 * point pairs at a time in prdc's summation order, and the passes fold each tile into running counts, flags and
 * k-smallest lists instead of storing distance matrices. ND4J's BLAS matrix product was measured for the same
 * dot products (10000 x 10000 points, 43 dimensions, one thread, {@code Nd4jGemmComparison} in the tests): it
 * was no faster than the tiles (0.5 s against 0.3 to 0.5 s), and it would add 1 to 3 s of native start-up, a
 * copy of every product block out of native memory, a second pass to read it, and rounding at block edges that
 * depends on its thread count; so the metrics do not use it.
 */
package io.autonf.metric;
