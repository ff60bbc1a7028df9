/**
 * The genetic-algorithm baseline (Jenetics): a search over exactly the architecture space of the AutoNF search,
 * optimising exactly its objective, so that the two methods can be compared on equal terms.
 *
 * <ul>
 *   <li>{@link io.autonf.ga.ArchitectureCodec}: one integer gene per layer (the option's index) decoding to the
 *       same {@link io.autonf.flow.Architecture} the AutoNF search returns for that choice.</li>
 *   <li>{@link io.autonf.ga.GaObjective}: fitness (minimised) = validation NLL after a fixed training budget
 *       + λ·the architecture's normalised cost, the AutoNF α objective at a one-hot α.</li>
 *   <li>{@link io.autonf.ga.BatchEvaluator}: trains a generation's new architectures in parallel, each at most once
 *       per run (a cache keyed by architecture and seed); a failed training gets
 *       {@link io.autonf.ga.GaObjective#FAILED_FITNESS} and the run goes on.</li>
 *   <li>{@link io.autonf.ga.GaSearch} runs the evolution configured by {@link io.autonf.ga.GaConfig} and returns a
 *       {@link io.autonf.ga.GaResult}; progress leaves through {@link io.autonf.ga.GaListener}.</li>
 *   <li>{@link io.autonf.ga.GaPipeline}: cost table, GA, the best architecture retrained from scratch and evaluated
 *       by the same code as an AutoNF run ({@link io.autonf.search.SearchPipeline#trainAndEvaluate}), and the
 *       reference with the same budget.</li>
 * </ul>
 *
 * <h2>Compute accounting</h2>
 * A <em>layer evaluation</em> is the forward pass of one flow layer on one row, counted as the AutoNF search counts
 * it ({@link io.autonf.search.SearchResult#layerEvaluations()}): an evaluation on B rows that runs n layers costs
 * n·B, whether or not a backward pass follows (the backward pass is part of the same evaluation and is not
 * counted again). A candidate trained for s steps of batch B, validated v times on V rows, with n layers, costs
 * n·(s·B + v·V), as the AutoNF search counts n·B for a θ step and n·B' for an α step on B' validation rows. The
 * only difference: AutoNF's mixture also counts an {@code identity} candidate as a node, whereas the GA's decoded
 * architecture has no identity layers, so it counts only layers that run.
 */
package io.autonf.ga;
