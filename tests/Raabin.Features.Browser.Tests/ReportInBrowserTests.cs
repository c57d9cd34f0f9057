using Microsoft.Playwright;
using Raabin.Features.IO;
using RaabinCli = Raabin.Features.Cli.Program;

namespace Raabin.Features.Browser.Tests;

/// <summary>
/// The report of an evaluate run on the shipped sample, opened in headless Chromium: every plot is drawn, nothing is
/// requested from the network, the gallery's misclassified filter shows exactly the mismatches of predictions.csv, and
/// clicking a cell opens its explanation. A screenshot is left in the test output folder (report.png).
/// </summary>
public sealed class ReportInBrowserTests : IAsyncLifetime
{
    /// <summary>Debian's chromium (apt-get install chromium); Playwright's own browser download is not used.</summary>
    public const string Chromium = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly string _work = Path.Combine(Path.GetTempPath(), "raabin-browser-" + Guid.NewGuid().ToString("N"));
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    private static string Samples => Path.Combine(AppContext.BaseDirectory, "samples");

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ChromiumArgs });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    [Fact]
    public async Task Report_renders_offline_filters_and_explains()
    {
        // The report as a user makes it: train, evaluate on the sample, report with the model.
        Directory.CreateDirectory(_work);
        string model = Path.Combine(_work, "pbc.model.json"), folder = Path.Combine(_work, "eval"), html = Path.Combine(_work, "report.html");
        Assert.Equal(0, RaabinCli.Main(["train", Path.Combine(Samples, "pbc"), "--model", model]));
        Assert.Equal(0, RaabinCli.Main(["evaluate", "--train", Path.Combine(Samples, "pbc"), "--test", Path.Combine(Samples, "zheng-jtsc"),
            "--test", Path.Combine(Samples, "bccd"), "--bootstrap", "100", "--out", folder]));
        Assert.Equal(0, RaabinCli.Main(["report", folder, "--model", model, "--images-root", Samples, "--out", html]));
        var predictions = CsvTable.Load(Path.Combine(folder, "predictions.csv"));
        int label = predictions.RequireColumn("label"), pred = predictions.RequireColumn("pred");
        int mismatches = predictions.Rows.Count(r => r[label] != r[pred]);
        Assert.InRange(mismatches, 1, predictions.Rows.Count - 1);

        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var requests = new List<string>();
        context.Request += (_, request) => requests.Add(request.Url);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        string url = new Uri(html).AbsoluteUri;
        await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });

        // Every plot drawn: an SVG inside each plot div.
        int plots = await page.Locator("div.plot").CountAsync();
        Assert.True(plots >= 10, $"{plots} plots");
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('div.plot')].every(d => d.querySelector('svg.main-svg'))");
        Assert.Equal(plots, await page.Locator("div.plot:has(svg.main-svg)").CountAsync());

        // The gallery: all cells, then exactly the misclassified ones.
        Assert.Equal(predictions.Rows.Count, await page.Locator("#cells .cell:visible").CountAsync());
        await page.SelectOptionAsync("#filter-view", "misclassified");
        Assert.Equal(mismatches, await page.Locator("#cells .cell:visible").CountAsync());
        Assert.Equal($"{mismatches} of {predictions.Rows.Count} cells shown", await page.Locator("#gallery-count").TextContentAsync());

        // Clicking a cell opens its explanation.
        var first = page.Locator("#cells .cell:visible").First;
        string row = (await first.GetAttributeAsync("data-row"))!;
        await first.ClickAsync();
        var panel = page.Locator("#explanation");
        await Assertions.Expect(panel).ToBeVisibleAsync();
        Assert.Equal(row, await panel.GetAttributeAsync("data-row"));
        string text = (await panel.TextContentAsync())!;
        Assert.Contains(predictions.Rows[int.Parse(row, System.Globalization.CultureInfo.InvariantCulture)][predictions.RequireColumn("path")], text, StringComparison.Ordinal);
        Assert.Contains("The model says", text, StringComparison.Ordinal);
        Assert.Contains("To flip the label", text, StringComparison.Ordinal);

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "report.png"), FullPage = true });

        // Nothing left the page: only the file itself and data: URIs were requested, and no script failed.
        Assert.Empty(errors);
        Assert.NotEmpty(requests);
        Assert.All(requests, u => Assert.True(u == url || u.StartsWith("data:", StringComparison.Ordinal), $"request to {u}"));
        await context.CloseAsync();
    }
}
