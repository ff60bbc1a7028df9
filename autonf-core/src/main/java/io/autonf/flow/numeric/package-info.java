/**
 * Small numerics shared by the transforms: a numerically stable softplus and its inverse, a safeguarded root
 * solver for increasing functions of one variable (the inverses of planar flows), and lane-wise exp/log/log1p
 * for Vector API code that give the same bits interpreted and compiled ({@link io.autonf.flow.numeric.VectorMath}).
 */
package io.autonf.flow.numeric;
