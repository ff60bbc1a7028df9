/**
 * Pictures of a search for people: {@link io.autonf.plot.TrajectoryChart} draws the α trajectory (one panel
 * per layer, one line per option) and the expected cost, {@link io.autonf.plot.FitnessChart} a GA run's fitness
 * per generation; both as PNGs with JFreeChart, headless.
 */
package io.autonf.plot;
