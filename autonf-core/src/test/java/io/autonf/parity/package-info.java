/**
 * Parity with the reference Python implementations: loaders for the committed JSON fixtures that
 * {@code tools/fixtures/make_nflows_fixtures.py} (nflows 0.14) and {@code tools/fixtures/make_prdc_fixtures.py}
 * (prdc 0.2) write, and the assertions that compare our numbers with them.
 *
 * <p>The fixtures are generated once by a developer with PyTorch installed; the tests only read JSON, so CI needs
 * no Python.
 */
package io.autonf.parity;
