/**
 * Conditioner networks (dense and MADE-masked residual MLPs) and the fused fp32/fp64 kernels they run on.
 * This is the measured hot path: matrix products and activations are plain Java with the Vector API, never a
 * native call per small operation.
 */
package io.autonf.nn;
