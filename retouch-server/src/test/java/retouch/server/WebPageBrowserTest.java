package retouch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.nn.store.ModelFile;

/**
 * The web page in a real browser (Debian's chromium + chromium-driver, headless, via Selenium):
 * upload a photo, paint a mask stroke, inpaint, check the result appears and differs from the
 * input only inside the stroke; ask for a task without a model and see the server's message;
 * generate a grid. Screenshots go to the module's build folder under {@code browser/}.
 *
 * <p>Skipped (with a message) when chromium or chromedriver is missing; {@code .ci/run} installs
 * them. Override the locations with {@code RETOUCH_CHROMIUM} / {@code RETOUCH_CHROMEDRIVER}.
 */
class WebPageBrowserTest {

    // These tests are about a server whose only models are the ones they put in their folder.
    @org.junit.jupiter.api.AfterAll
    static void restoreModelSearch() {
        System.clearProperty(ModelCatalog.ONLY_PROPERTY);
    }
    @org.junit.jupiter.api.io.TempDir static Path models;
    static RetouchServer server;
    static WebDriver driver;
    static Path shots;
    /** Held so the level sticks: Selenium warns that it has no CDP bindings for new Chromium versions (not used here). */
    static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium");

    @BeforeAll
    static void start() throws Exception {
        System.setProperty(ModelCatalog.ONLY_PROPERTY, "true");
        String chromium = env("RETOUCH_CHROMIUM", "/usr/bin/chromium");
        String chromedriver = env("RETOUCH_CHROMEDRIVER", "/usr/bin/chromedriver");
        Assumptions.assumeTrue(Files.isExecutable(Path.of(chromium)) && Files.isExecutable(Path.of(chromedriver)),
                "browser test skipped: needs " + chromium + " and " + chromedriver + " (apt-get install chromium chromium-driver; .ci/run installs them)");
        shots = Path.of(System.getProperty("retouch.buildDir", "target")).resolve("browser");
        Files.createDirectories(shots);
        Fixtures.writeFakeGeneratorModel(models, "bars");
        server = RetouchServer.start(ServerConfig.defaults().withPort(0).withModelsDir(models),
                path -> new Fixtures.FakeGenerator(ModelFile.readMeta(Path.of(path)), 0));

        SELENIUM_LOG.setLevel(java.util.logging.Level.SEVERE);
        ChromeOptions o = new ChromeOptions();
        o.setBinary(chromium);
        o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1000",
                "--force-device-scale-factor=1");
        ChromeDriverService svc = new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver)).usingAnyFreePort().build();
        driver = new ChromeDriver(svc, o);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (driver != null) driver.quit();
        if (server != null) server.close();
    }

    private static String env(String name, String def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : v;
    }

    private static void shot(String name) throws Exception {
        Files.write(shots.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    private static WebDriverWait waitUpTo(int seconds) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds));
    }

    private static boolean bodyFlag(String name) {
        return "true".equals(driver.findElement(By.tagName("body")).getDomAttribute("data-" + name));
    }

    private static Image dataUrlImage(Object dataUrl) throws Exception {
        String s = String.valueOf(dataUrl);
        return Fixtures.decode(Base64.getDecoder().decode(s.substring(s.indexOf(',') + 1)));
    }

    @Test
    void inpaintAStrokeThenGenerateAGrid() throws Exception {
        Image photo = Fixtures.camera().crop(150, 180, 120, 160);
        Path input = shots.resolve("input.png");
        ImageFiles.writePng(photo, input);

        driver.get(server.url() + "/");
        WebDriverWait wait = waitUpTo(60);
        wait.until(d -> !d.findElement(By.id("task-info")).getText().isBlank());

        java.util.List<String> offered = new Select(driver.findElement(By.id("task"))).getOptions().stream()
                .map(o -> o.getDomAttribute("value")).toList();
        assertEquals(retouch.nn.task.RestorationTasks.ids(), offered, "the page lists the task registry's tasks");
        new Select(driver.findElement(By.id("task"))).selectByValue("inpaint");
        assertTrue(driver.findElement(By.id("task-info")).getText().contains("Telea"), "the page says inpainting is classical today");
        driver.findElement(By.id("file")).sendKeys(input.toAbsolutePath().toString());
        wait.until(d -> bodyFlag("image-ready"));

        // One horizontal stroke across the middle of the picture.
        WebElement canvas = driver.findElement(By.id("mask-canvas"));
        int w = canvas.getSize().getWidth(), h = canvas.getSize().getHeight();
        Actions a = new Actions(driver).moveToElement(canvas, -w / 4, 0).clickAndHold();
        for (int i = 0; i < 10; i++) a.moveByOffset(w / 20, 0);
        a.release().perform();
        shot("1-mask-drawn");

        Image mask = dataUrlImage(((JavascriptExecutor) driver).executeScript("return window.retouchPage.maskDataUrl();"));
        assertEquals(160, mask.width());
        assertEquals(120, mask.height());
        int holes = 0, minX = 999, maxX = -1, minY = 999, maxY = -1;
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 160; x++) {
                if (mask.get(0, y, x) > 0.5f) {
                    holes++;
                    minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
                }
            }
        }
        assertTrue(holes > 100, "the stroke painted the mask: " + holes);
        assertTrue(minX > 20 && minX < 60 && maxX > 100 && maxX < 140, "stroke spans the middle horizontally: " + minX + ".." + maxX);
        assertTrue(minY > 45 && maxY < 75, "stroke is a thin band across the middle: " + minY + ".." + maxY);

        driver.findElement(By.id("run")).click();
        wait.until(d -> bodyFlag("result-ready") || bodyFlag("result-error"));
        assertTrue(bodyFlag("result-ready"), "result shown; message: " + driver.findElement(By.id("message")).getText());
        assertTrue(driver.findElement(By.id("result")).isDisplayed());
        String message = driver.findElement(By.id("message")).getText();
        assertTrue(message.contains("Telea") && message.contains("telea"), "the page reports the classical fallback: " + message);
        ((JavascriptExecutor) driver).executeScript(
                "const s = document.getElementById('slider'); s.value = 70; s.dispatchEvent(new Event('input'));");
        shot("2-inpainted");

        Object url = ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1]; window.retouchPage.resultDataUrl().then(done);");
        Image result = dataUrlImage(url);
        assertEquals(photo.width(), result.width());
        assertEquals(photo.height(), result.height());
        Image in8 = photo.quantize8();
        int changedInside = 0;
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 160; x++) {
                boolean differs = Math.abs(result.get(0, y, x) - in8.get(0, y, x)) > 1e-6;
                if (mask.get(0, y, x) > 0.5f) {
                    if (differs) changedInside++;
                } else {
                    assertTrue(!differs, "pixel " + x + "," + y + " outside the stroke changed");
                }
            }
        }
        assertTrue(changedInside > holes / 4, "the stroke was filled: " + changedInside + " of " + holes + " pixels changed");

        // A task with no model installed: the server's message appears on the page.
        new Select(driver.findElement(By.id("task"))).selectByValue("sr3");
        driver.findElement(By.id("run")).click();
        wait.until(d -> d.findElement(By.id("message")).getAttribute("class").contains("error"));
        String noModel = driver.findElement(By.id("message")).getText();
        assertTrue(noModel.contains("no x3 super-resolution model is installed") && noModel.contains("no_model"), noModel);
        shot("3-no-model-message");

        // Generate tab: model + label -> grid.
        driver.findElement(By.id("tab-generate")).click();
        new Select(driver.findElement(By.id("gen-model"))).selectByValue("bars");
        new Select(driver.findElement(By.id("gen-label"))).selectByValue("three");
        WebElement n = driver.findElement(By.id("gen-n"));
        n.clear();
        n.sendKeys("9");
        driver.findElement(By.id("gen-run")).click();
        wait.until(d -> bodyFlag("grid-ready"));
        Number gridWidth = (Number) ((JavascriptExecutor) driver).executeScript("return document.getElementById('gen-result').naturalWidth;");
        assertEquals(3 * 16 + 4 * 2, gridWidth.intValue(), "a 3x3 grid of 16-px samples");
        assertTrue(driver.findElement(By.id("gen-message")).getText().contains("three"));
        shot("4-generated");
    }
}
