/**
 * The transforms users name in architectures: {@code reverse}, {@code lu}, {@code planar}, {@code radial},
 * {@code maf}, {@code rq-ar}, {@code affine-c}, {@code rq-c}. Each follows the {@link io.autonf.flow.Transform}
 * contract and passes the shared {@code TransformContract} tests.
 */
package io.autonf.flow.transforms;
