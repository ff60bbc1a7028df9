package io.autonf.search;

/** What a layer does during one phase of a search; {@link SearchPhase#roles} turns it into {@link LayerRoles}. */
public enum LayerState {
    /** Being searched: every option, weighted by softmax(α); its α is optimised. */
    MIXED,
    /** Present as one option, the argmax of its α when the phase starts; its α is left alone. */
    FIXED,
    /** Not part of the flow during this phase (a block not reached yet). */
    ABSENT
}
