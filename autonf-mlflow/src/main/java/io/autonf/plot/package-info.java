/**
 * Pictures of a search for people: {@link io.autonf.plot.TrajectoryChart} draws the α trajectory (one panel
 * per layer, one line per option) and the expected cost as a PNG with JFreeChart, headless.
 */
package io.autonf.plot;
