/**
 * The AutoNF-against-GA study (the paper's Table 1 as a report): the library behind {@code ./autonf study}.
 *
 * <ul>
 *   <li>{@link io.autonf.study.StudyConfig}: data sets × emphases × seeds, AutoNF's and the GA's templates (same
 *       space, λ and final-training budget, checked), evaluation settings; profiles {@code quick} and
 *       {@code paper}; {@link io.autonf.study.StudyYaml} reads one from {@code study.yaml}, refusing unknown
 *       keys.</li>
 *   <li>{@link io.autonf.study.StudyRunner}: per data set one cost table; per seed the references RQ-AF and RQ-C
 *       trained once (training does not depend on the emphasis); per emphasis AutoNF and the GA, each retrained
 *       with the same budget and evaluated by the same code; a failing method is recorded and the study goes on.
 *       Progress leaves through {@link io.autonf.study.StudyListener}, which hands out the search, GA and
 *       training listeners of each cell.</li>
 *   <li>{@link io.autonf.study.Convergence}: both searches on the GA's objective against compute spent, and the
 *       share of the GA's compute AutoNF needed to reach the GA's best.</li>
 *   <li>{@link io.autonf.study.StudyReport}: Table 1 (mean ± std over seeds), the convergence table and every cell,
 *       as markdown, CSV and HTML; {@link io.autonf.study.StudyCharts} draws the Pareto and convergence PNGs.</li>
 * </ul>
 *
 * <h2>Checkpoint and resume</h2>
 * {@link io.autonf.study.StudyRunner#run(java.util.function.Consumer)} hands a
 * {@link io.autonf.study.StudyCheckpoint} of the work finished so far to a sink after every method's
 * {@code onCellFinish} and every cell's {@code onConvergence}; {@link io.autonf.study.StudyRunner#resume} skips
 * that work and runs the rest. Per cell × method the checkpoint keeps what the listener was told (the
 * {@link io.autonf.study.MethodResult}) and what the rest of the study needs: a reference's
 * {@link io.autonf.study.TrainedFlow} (the other rows' figures of merit are measured against its evaluation, and
 * its rows of the other emphases are rebuilt from it), AutoNF's argmax snapshots (the convergence comparison), the
 * GA's candidates (the Pareto plot) and the cell's {@link io.autonf.study.Convergence}, measured before the GA's
 * row is told so that both are saved together; plus the data sets that failed to load.
 *
 * <p><b>Why the report is the same.</b> Every method is a deterministic function of the configuration, the data
 * and the cost table: the skipped ones are replaced by what they gave, the others run as they would have. The cost
 * table is the one the interrupted study saved in its cost directory, so that directory must be kept; a data set
 * whose methods are all finished is not even loaded. The results keep the uninterrupted study's order, so the report
 * differs only in wall times. A resumed study tells {@link io.autonf.study.StudyListener#onResume} instead of
 * {@code onStart} and never tells a finished method or convergence again; the method that was running when the
 * study was killed starts again ({@code onCellStart} a second time). A configuration other than the checkpoint's
 * ({@link io.autonf.study.StudyConfig#summary()}) is refused.
 *
 * <p><b>File format</b> (version {@value io.autonf.study.StudyCheckpoint#FORMAT_VERSION},
 * {@link io.autonf.study.StudyCheckpoint#write} / {@link io.autonf.study.StudyCheckpoint#read}): a JSON object with
 * {@code kind} {@value io.autonf.study.StudyCheckpoint#KIND}, {@code format_version}, {@code config},
 * {@code entries} (per cell × method: {@code cell}, {@code method}, {@code result} with its typed {@code details},
 * {@code trained}, {@code argmax}, {@code candidates}, {@code convergence}), {@code convergences_told} and
 * {@code dataset_failures}; written atomically like the GA's ({@link io.autonf.ga.CheckpointJson}).
 */
package io.autonf.study;
