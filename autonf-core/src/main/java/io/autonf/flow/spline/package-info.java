/**
 * Pure spline maths for the neural-spline-flow layers: the monotonic rational-quadratic spline of Durkan et al.
 * (2019) with linear tails, its inverse and its hand-derived backward pass, plus the numerically stable scalar
 * functions (softplus, sigmoid) its parameterisation needs. No state, no allocation per element: the transforms
 * call these on every training step for every (sample, feature) pair.
 */
package io.autonf.flow.spline;
