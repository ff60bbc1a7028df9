/**
 * The measured cost model of the AutoNF search: what each candidate layer costs on the user's machine.
 *
 * <p>{@link io.autonf.cost.CostModel} times one layer of each kind (forward = density evaluation, inverse =
 * sampling, training = forward + backward) and counts its analytic FLOPs ({@link io.autonf.cost.Flops});
 * {@link io.autonf.cost.CostTable} holds the result with the hardware and settings it was measured with, and
 * {@link io.autonf.cost.CostTables} keeps tables on disk so a search reuses a matching one instead of measuring
 * again. {@link io.autonf.cost.MixtureCosts} turns a table into the search's expected-cost term C_mix(α) on a
 * machine-independent scale.
 */
package io.autonf.cost;
