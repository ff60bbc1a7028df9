/**
 * Small scalar numerics shared by the closed-form transforms: a numerically stable softplus and its inverse,
 * and a safeguarded root solver for increasing functions of one variable (the inverses of planar flows).
 */
package io.autonf.flow.numeric;
