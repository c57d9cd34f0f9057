using System.Globalization;
using System.Text.RegularExpressions;
using Plotly.NET;

namespace Raabin.Features.Reports;

/// <summary>
/// The report's plots, made with Plotly.NET and rendered as a div and a script each, without the library: the page
/// embeds plotly.js once (<see cref="PlotlyLibrary"/>). Div ids are numbered so that the same input gives the same page.
/// </summary>
internal sealed partial class Plots
{
    private int _next;

    /// <summary>The plotly.js that Plotly.NET ships (an embedded resource of its assembly), for one script tag.</summary>
    public static string PlotlyLibrary()
    {
        var assembly = typeof(GenericChart).Assembly;
        string name = $"Plotly.NET.plotly-{Globals.PLOTLYJS_VERSION}.min.js";
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Plotly.NET {assembly.GetName().Version} does not embed {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The version of the embedded plotly.js.</summary>
    public static string PlotlyVersion => Globals.PLOTLYJS_VERSION;

    /// <summary>Names of the plots rendered so far, in page order.</summary>
    public List<string> Rendered { get; } = [];

    /// <summary>A chart's div and script, wrapped in <c>&lt;div class="plot" data-plot=NAME&gt;</c>.</summary>
    public string Render(string name, GenericChart chart, int width = 640, int height = 420)
    {
        var config = new Config();
        config.SetProperty("responsive", true);
        config.SetProperty("displaylogo", false);
        chart = Chart.withConfig(config).Invoke(chart);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithSize(chart, width, height);
        string html = GenericChart.toChartHTML(chart);
        string id = "plot-" + (++_next).ToString(CultureInfo.InvariantCulture);
        html = Guid().Replace(html, m => m.Value.Contains('-', StringComparison.Ordinal) ? id : id.Replace("-", "_", StringComparison.Ordinal));
        Rendered.Add(name);
        return $"<div class=\"plot\" data-plot=\"{Html.Attr(name)}\">{html}</div>\n";
    }

    /// <summary>Sets asymmetric error bars (<paramref name="property"/> error_x or error_y) on every trace of <paramref name="chart"/>.</summary>
    public static GenericChart WithError(GenericChart chart, string property, IEnumerable<double> plus, IEnumerable<double> minus)
    {
        var error = new DynamicObj.DynamicObj();
        error.SetProperty("type", "data");
        error.SetProperty("symmetric", false);
        error.SetProperty("array", plus.ToArray());
        error.SetProperty("arrayminus", minus.ToArray());
        foreach (var trace in GenericChart.getTraces(chart))
        {
            trace.SetProperty(property, error);
        }

        return chart;
    }

    /// <summary>Sets one layout property (e.g. boxmode = group) of <paramref name="chart"/>.</summary>
    public static GenericChart WithLayout(GenericChart chart, string property, object value)
    {
        GenericChart.getLayout(chart).SetProperty(property, value);
        return chart;
    }

    [GeneratedRegex("[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")]
    private static partial Regex Guid();
}
