/**
 * The AutoNF search (the paper's Section 3): a {@link io.autonf.search.MixtureFlow} mixes the densities of all
 * architectures of a {@link io.autonf.search.SearchSpace}, weighted by softmax(α) per layer, and evaluates the
 * mixture by walking the tree of paths so that shared prefixes run once; {@link io.autonf.search.SearchLoss}
 * selects the objective and {@link io.autonf.search.LayerRoles} which layers are searched, fixed or absent.
 */
package io.autonf.search;
