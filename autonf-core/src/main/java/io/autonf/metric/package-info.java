/**
 * Evaluation of trained flows: the sample-quality metrics of Naeem et al. (2020) exactly as the {@code prdc}
 * package computes them ({@link io.autonf.metric.Prdc}), the test NLL and metrics of one flow
 * ({@link io.autonf.metric.Evaluator}, {@link io.autonf.metric.FlowEvaluation}), and the AutoNF paper's figure
 * of merit against a reference flow ({@link io.autonf.metric.Fom}).
 *
 * <p>The k-NN search behind the metrics is exact and tiled: a Vector API kernel computes dot products of 4 x 32
 * point pairs at a time in prdc's summation order, and the passes fold each tile into running counts, flags and
 * k-smallest lists instead of storing distance matrices. It was measured against ND4J's BLAS matrix product
 * for the same dot products (10000 x 10000 points, 43 dimensions) and was several times faster, before ND4J's
 * start-up and the copy of each product block out of native memory; see {@code Nd4jGemmComparison} in the tests.
 */
package io.autonf.metric;
