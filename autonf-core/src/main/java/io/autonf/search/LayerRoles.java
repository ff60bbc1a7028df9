package io.autonf.search;

import java.util.Arrays;

/**
 * How each layer of a mixture flow takes part in one evaluation: {@link #MIXED} (all options, weighted by
 * softmax(α)), {@link #ABSENT} (skipped: a later block of the Grow method), or a fixed option index (a block
 * already decided, or not being searched now).
 */
public record LayerRoles(int[] roles) {

    public static final int MIXED = -1;
    public static final int ABSENT = -2;

    public LayerRoles {
        roles = roles.clone();
        for (int i = 0; i < roles.length; i++) {
            if (roles[i] < ABSENT) {
                throw new IllegalArgumentException("layer " + i + " has role " + roles[i]);
            }
        }
    }

    public static LayerRoles allMixed(int layers) {
        int[] r = new int[layers];
        Arrays.fill(r, MIXED);
        return new LayerRoles(r);
    }

    public int layers() {
        return roles.length;
    }

    public int role(int layer) {
        return roles[layer];
    }

    public boolean isMixed(int layer) {
        return roles[layer] == MIXED;
    }

    @Override
    public int[] roles() {
        return roles.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerRoles other && Arrays.equals(roles, other.roles);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(roles);
    }

    @Override
    public String toString() {
        return Arrays.toString(roles);
    }
}
