package io.autonf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonf.mlflow.MlflowServerStore;
import io.autonf.mlflow.MlflowTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two real search runs on a real {@code mlflow server}, looked at in the real MLflow UI in headless Chromium: the
 * compare view shows both runs with their params and metrics, and the metric page draws the α trajectories of
 * both. Needs {@code mlflow}, {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}: without them the test
 * is skipped locally and fails when the environment variable {@code CI} is set.
 *
 * <p>With {@code -Dautonf.screenshots=DIR} (relative paths from the repository root) it saves what it saw as
 * {@code mlflow-compare.png} and {@code mlflow-alpha-chart.png} there, the pictures in the README.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MlflowUiIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXPERIMENT = "ui-it";
    private static final Duration PAGE_WAIT = Duration.ofSeconds(30);
    private static final List<String> ALPHA_KEYS = List.of("alpha/layer00/maf", "alpha/layer00/rq-ar");

    @TempDir
    Path dir;

    @Test
    void theCompareViewAndTheAlphaChartsOfTwoSearchRunsRender() throws Exception {
        HeadlessChromium.require();
        try (MlflowTestServer server = MlflowTestServer.start(dir.resolve("server"))) {
            URI uri = server.uri();
            Map<String, String> runs = new LinkedHashMap<>();
            // Two runs that differ in the cost weight λ, as in a study of its effect: with rq-ar four times as
            // costly as maf, the large λ turns layer 0 away from rq-ar.
            for (String lambda : new String[]{"0.1", "2"}) {
                String name = "ui-search-lambda-" + lambda;
                search(uri, name, lambda);
                runs.put(name, runId(uri, name));
            }
            String experimentId = new MlflowServerStore(uri, Map.of()).experimentId(EXPERIMENT);

            ChromeDriver browser = HeadlessChromium.start(dir.resolve("chromium-profile"), 1600, 1100);
            try {
                checkCompareView(browser, uri, experimentId, runs);
                checkAlphaChart(browser, uri, experimentId, runs);
            } finally {
                browser.quit();
            }
        }
    }

    /** The compare view lists both runs by name and id, a param with its value, and the step metrics. */
    private void checkCompareView(ChromeDriver browser, URI uri, String experimentId, Map<String, String> runs)
            throws IOException {
        // Tall enough that the screenshot shows the run details and the first params below the plot.
        browser.manage().window().setSize(new Dimension(1600, 1500));
        browser.get(uri + "/#/compare-runs?runs=" + jsonParam(List.copyOf(runs.values()))
                + "&experiments=" + jsonParam(List.of(experimentId)));
        List<String> expected = new ArrayList<>();
        expected.add("Comparing 2 Runs");
        expected.addAll(runs.keySet());
        expected.addAll(runs.values());
        // A param row with its value in both columns, the metric table's α rows and the parallel coordinates'
        // default metric axis.
        expected.addAll(List.of("cli.data", "power-sample", "lambda", "alpha/layer00/maf", "alpha/layer01/rq-ar",
                "loss/train"));
        waitForTexts(browser, expected, "the compare view");
        closeAssistantPanel(browser);
        // The parallel-coordinates plot draws one line per run once the data have arrived.
        waitFor(browser, "a parallel-coordinates plot", b -> !b.findElements(By.cssSelector(
                ".js-plotly-plot .parcoords")).isEmpty());
        screenshot(browser, "mlflow-compare.png");
    }

    /**
     * The metric page of both α weights of layer 0 draws one curve per run and key (2 x 2), each through every
     * logged step, with both run names in the legend.
     */
    private void checkAlphaChart(ChromeDriver browser, URI uri, String experimentId, Map<String, String> runs)
            throws IOException {
        browser.manage().window().setSize(new Dimension(1600, 900));
        browser.get(uri + "/#/metric?runs=" + jsonParam(List.copyOf(runs.values()))
                + "&metric=" + jsonParam(ALPHA_KEYS.get(0))
                + "&experiments=" + jsonParam(List.of(experimentId))
                + "&plot_metric_keys=" + jsonParam(ALPHA_KEYS)
                + "&plot_layout=%7B%7D&x_axis=step&y_axis_scale=linear&line_smoothness=1&show_point=false"
                + "&deselected_curves=%5B%5D&last_linear_y_axis_range=%5B%5D");
        closeAssistantPanel(browser);
        Set<String> curves = new LinkedHashSet<>();
        waitFor(browser, "4 drawn α curves", b -> {
            curves.clear();
            for (WebElement line : b.findElements(By.cssSelector(".js-plotly-plot .scatterlayer path.js-line"))) {
                String d = line.getAttribute("d");
                // A curve through the steps: at least 10 points "x,y" (the search logs 40 steps), whether
                // drawn as straight segments or as a smoothed spline.
                if (d != null && d.startsWith("M") && d.chars().filter(c -> c == ',').count() >= 10) {
                    curves.add(d);
                }
            }
            return curves.size() >= 4;
        }, () -> "(curves drawn: " + browser.findElements(By.cssSelector(".js-plotly-plot path.js-line")).stream()
                .map(line -> abbreviate(String.valueOf(line.getAttribute("d")))).toList() + ")");
        // MLflow draws the legend itself, as "run name (metric key)" per curve.
        List<String> labels = new ArrayList<>();
        for (String name : runs.keySet()) {
            for (String key : ALPHA_KEYS) {
                labels.add(name + " (" + key + ")");
            }
        }
        waitForTexts(browser, labels, "the α chart's legend");
        screenshot(browser, "mlflow-alpha-chart.png");
    }

    private void search(URI uri, String runName, String lambda) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = {"search", "--data", "power-sample", "--layers", "2", "--options", "maf,rq-ar",
                "--hidden", "8", "--blocks", "1", "--steps", "10", "--batch", "64", "--alpha-batch", "64",
                "--retrain-steps", "20", "--val-every", "10", "--samples", "200", "--no-reference",
                "--cost-dir", dir.resolve("costs").toString(), "--quick-costs", "--seed", "3",
                "--lambda", lambda, "--alpha-lr", "0.05",
                "--tracking-uri", uri.toString(), "--experiment", EXPERIMENT, "--run-name", runName, "--json"};
        int code = AutoNf.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), AutoNf.availableCommands());
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    }

    private static String runId(URI uri, String name) throws Exception {
        MlflowServerStore store = new MlflowServerStore(uri, Map.of());
        String body = JSON.writeValueAsString(Map.of("experiment_ids", List.of(store.experimentId(EXPERIMENT)),
                "filter", "attributes.run_name = '" + name + "'"));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        uri.resolve("/api/2.0/mlflow/runs/search")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode found = JSON.readTree(response.body()).path("runs");
        assertEquals(1, found.size(), "runs named " + name + ": " + response.body());
        assertEquals("FINISHED", found.get(0).path("info").path("status").asText());
        return found.get(0).path("info").path("run_id").asText();
    }

    /** A JSON value URL-encoded for the UI's query parameters (which it reads with JSON.parse). */
    private static String jsonParam(Object value) throws IOException {
        return URLEncoder.encode(JSON.writeValueAsString(value), StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Waits until the page's text holds every one of {@code expected}; the failure names the missing ones. */
    private static void waitForTexts(ChromeDriver browser, List<String> expected, String what) {
        List<String> missing = new ArrayList<>(expected);
        try {
            new WebDriverWait(browser, PAGE_WAIT).until(b -> {
                String text = pageText((ChromeDriver) b);
                missing.removeIf(text::contains);
                return missing.isEmpty();
            });
        } catch (TimeoutException e) {
            fail(what + " did not show " + missing + " within " + PAGE_WAIT.toSeconds() + " s; it shows: "
                    + abbreviate(pageText(browser)));
        }
    }

    private interface Condition {
        boolean holds(ChromeDriver browser);
    }

    private static void waitFor(ChromeDriver browser, String what, Condition condition) {
        waitFor(browser, what, condition, () -> "");
    }

    /** Waits until {@code condition} holds; the failure adds {@code details} and the page's text. */
    private static void waitFor(ChromeDriver browser, String what, Condition condition, Supplier<String> details) {
        try {
            new WebDriverWait(browser, PAGE_WAIT).until(b -> condition.holds((ChromeDriver) b));
        } catch (TimeoutException e) {
            fail("no " + what + " within " + PAGE_WAIT.toSeconds() + " s " + details.get() + "; the page shows: "
                    + abbreviate(pageText(browser)));
        }
    }

    /** All text in the DOM, also of rows scrolled out of view (which {@code getText} would leave out). */
    private static String pageText(ChromeDriver browser) {
        Object text = ((JavascriptExecutor) browser).executeScript("return document.body.textContent;");
        return text == null ? "" : text.toString();
    }

    private static String abbreviate(String text) {
        String flat = text.replaceAll("\\s+", " ");
        return flat.length() <= 2000 ? flat : flat.substring(0, 2000) + "...";
    }

    /** MLflow 3.x opens its assistant beside every page; closed, the screenshots show the page at full width. */
    private static void closeAssistantPanel(ChromeDriver browser) {
        for (WebElement close : browser.findElements(
                By.cssSelector("button[data-component-id='mlflow.assistant.chat_panel.close']"))) {
            if (close.isDisplayed()) {
                close.click();
            }
        }
    }

    /** Saves the browser's view as {@code name} when {@code -Dautonf.screenshots} names a directory. */
    private static void screenshot(ChromeDriver browser, String name) throws IOException {
        String target = System.getProperty("autonf.screenshots");
        if (target == null || target.isBlank()) {
            return;
        }
        Path directory = Path.of(target);
        if (!directory.isAbsolute()) {
            directory = repositoryRoot().resolve(directory);
        }
        Files.createDirectories(directory);
        Files.write(directory.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
    }

    /** Surefire runs in the module directory; relative screenshot paths mean the repository root. */
    private static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("autonf-mlflow")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        return here;
    }
}
