package io.autonf.cli;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's Chromium driven by Debian's chromedriver for UI integration tests. Without either binary the calling
 * test is skipped locally, and fails when the environment variable {@code CI} is set ({@code .ci/run} installs
 * both).
 */
final class HeadlessChromium {

    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /** Skips the calling test (or fails it on CI) unless both binaries are installed. */
    static void require() {
        for (Path binary : new Path[]{BROWSER, DRIVER}) {
            if (!Files.isExecutable(binary)) {
                String message = binary + " is missing; install it with 'apt-get install chromium chromium-driver' "
                        + "to run this UI integration test";
                if (System.getenv("CI") != null && !System.getenv("CI").isEmpty()) {
                    fail(message + " (CI is set, so the test fails instead of skipping)");
                }
                Assumptions.abort(message);
            }
        }
    }

    /**
     * Starts a headless browser with a fresh profile in {@code profile}. The driver and the browser are given by
     * path, so Selenium Manager never looks for (or downloads) either. The switches keep Chromium from calling
     * home: on a closed network its background connections would otherwise be refused and slow every page.
     */
    static ChromeDriver start(Path profile, int width, int height) throws IOException {
        require();
        Files.createDirectories(profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(profile.resolveSibling("chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath(),
                "--window-size=" + width + "," + height);
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }
}
