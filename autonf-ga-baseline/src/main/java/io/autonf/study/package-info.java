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
 */
package io.autonf.study;
