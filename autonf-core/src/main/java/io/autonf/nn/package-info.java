/**
 * Conditioner networks (dense and MADE-masked residual MLPs) and the fp32/fp64 kernels they run on.
 *
 * <p>This is the measured hot path: matrix products and activations are plain Java on the Vector API
 * ({@link io.autonf.nn.Kernels}), never a native call per small operation. {@link io.autonf.nn.Networks} builds
 * nflows' {@code ResidualNet} and {@code MADE} with the same parameter names, shapes, masks and initialisation.
 * Parameters stay fp64 masters; each layer keeps packed, masked copies in the network's precision, rebuilt when a
 * parameter's version changes. A network holds no per-pass state, so two threads may run passes on it at once;
 * {@link io.autonf.nn.KernelBenchmark} measures the kernels and a full MADE pass on the current machine.
 */
package io.autonf.nn;
