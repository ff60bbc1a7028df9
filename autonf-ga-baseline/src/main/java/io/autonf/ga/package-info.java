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
 *
 * <h2>Checkpoint and resume</h2>
 * {@link io.autonf.ga.GaSearch#run(io.autonf.ga.GaListener, int, java.util.function.Consumer)} hands a
 * {@link io.autonf.ga.GaCheckpoint} to a sink every few generations and after the last;
 * {@link io.autonf.ga.GaSearch#resume} goes on from one ({@link io.autonf.ga.GaCheckpointing} bundles both for
 * {@link io.autonf.ga.GaPipeline} and the command line). A checkpoint holds:
 * <ul>
 *   <li>the population after the last completed generation (genotypes as option indexes, birth generations,
 *       fitness): Jenetics' next {@code EvolutionStart}. Rebuilt members already carry their fitness, so the
 *       engine's evaluation of the restored start trains nothing;</li>
 *   <li>every candidate trained, in index order: the evaluation cache, so no candidate trains twice and new ones
 *       go on numbering where the run stopped; compute and failures follow from them;</li>
 *   <li>the statistics of every completed generation, the steady-fitness state (best so far and how long it has
 *       held), the wall time and the time the wall-time limit has counted;</li>
 *   <li>a fingerprint of the configuration ({@link io.autonf.ga.GaConfig#summary()}), so that a resume with
 *       another configuration is refused.</li>
 * </ul>
 * <b>Why it resumes identically.</b> Randomness comes from a generator scoped to each generation and seeded from
 * the run's seed and the generation's number, so generation k+1 draws the same numbers whether generation k ran in
 * this process or was read from a file; candidate trainings are seeded by architecture; the limits' state is in
 * the checkpoint. Generations, candidates, compute, best and stop reason are therefore those of the uninterrupted
 * run (only wall times differ); {@code GaCheckpointTest} checks it.
 *
 * <p><b>Events.</b> A checkpoint is taken after the listener has heard of its generation. A resumed run tells
 * {@link io.autonf.ga.GaListener#onResume} instead of {@code onStart}, then only events after the checkpoint: none
 * of the checkpoint's candidates or generations is told twice. Events the killed run told after its last checkpoint
 * (candidates of an unfinished generation) are told again with the same index and values.
 *
 * <p><b>File format</b> (version {@value io.autonf.ga.GaCheckpoint#FORMAT_VERSION}, {@link
 * io.autonf.ga.GaCheckpoint#write} / {@link io.autonf.ga.GaCheckpoint#read}): a JSON object with {@code kind}
 * {@value io.autonf.ga.GaCheckpoint#KIND}, {@code format_version}, {@code config}, {@code population}
 * ({@code choice}, {@code birth_generation}, {@code fitness}), {@code candidates}, {@code generations},
 * {@code steady_best}, {@code steady_count}, {@code wall_time_ns}, {@code limit_elapsed_ns} and
 * {@code stop_reason} (null while the run goes on); doubles round-trip exactly and NaN is written as a string
 * ({@link io.autonf.ga.CheckpointJson}). It is written to a temporary file renamed over the target, so a run
 * killed while writing keeps its previous checkpoint.
 */
package io.autonf.ga;
