/**
 * Events of an AutoNF search, for whoever records it (a console log, a tracking run): the
 * {@link io.autonf.event.SearchListener} interface and ways to combine listeners. Nothing here knows about
 * MLflow; the tracking module turns these events into a run.
 */
package io.autonf.event;
